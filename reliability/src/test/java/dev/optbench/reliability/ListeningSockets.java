package dev.optbench.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The TCP addresses a process listens on, from /proc/net/tcp{,6} and the socket inodes among its open files. */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** "address:port" of each listening socket of the process, the address as the kernel has it (IPv4 or IPv6 hex). */
    static List<String> of(long pid) {
        Map<String, String> listening = new HashMap<>();
        listening.putAll(table(Path.of("/proc/net/tcp")));
        listening.putAll(table(Path.of("/proc/net/tcp6")));
        List<String> addresses = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        String address = listening.get(target.substring(8, target.length() - 1));
                        if (address != null) {
                            addresses.add(address);
                        }
                    }
                } catch (IOException closed) {
                    // the descriptor was closed while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the files of process " + pid, e);
        }
        return addresses;
    }

    /** 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
    static boolean loopback(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        if (host.length() == 8) {
            return host.endsWith("7F");
        }
        return host.equals("00000000000000000000000001000000") || (host.startsWith("0000000000000000FFFF0000") && host.endsWith("7F"));
    }

    private static Map<String, String> table(Path file) {
        Map<String, String> byInode = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 9 && columns[3].equals(LISTEN)) {
                    String[] local = columns[1].split(":");
                    byInode.put(columns[9], local[0] + ":" + Integer.parseInt(local[1], 16));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return byInode;
    }
}
