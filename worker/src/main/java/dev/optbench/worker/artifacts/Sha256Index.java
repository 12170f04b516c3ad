package dev.optbench.worker.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 of model files, remembered under the work directory by (real path, size, modification time) so a
 * 40 GB model is hashed once, not once per trial.
 */
public final class Sha256Index {
    private final Path dir;

    public Sha256Index(Path dir) {
        this.dir = dir;
    }

    public String sha256(Path file) throws IOException {
        Path real = file.toRealPath();
        long size = Files.size(real);
        long modified = Files.getLastModifiedTime(real).toMillis();
        Path entry = dir.resolve(hex(digest(real.toString().getBytes(StandardCharsets.UTF_8))) + ".txt");
        if (Files.exists(entry)) {
            List<String> lines = Files.readAllLines(entry, StandardCharsets.UTF_8);
            if (lines.size() == 3 && lines.get(0).equals(Long.toString(size)) && lines.get(1).equals(Long.toString(modified))) {
                return lines.get(2);
            }
        }
        String sha = hashFile(real);
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "entry-", ".tmp");
        Files.writeString(temp, size + "\n" + modified + "\n" + sha + "\n", StandardCharsets.UTF_8);
        Files.move(temp, entry, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return sha;
    }

    public static String hashFile(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return hex(digest.digest());
    }

    static byte[] digest(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
