package dev.optbench.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The checkout these tests read: its root, and the project version the images are tagged with. */
final class Repository {

    private static final Pattern PROJECT_VERSION = Pattern.compile("(?m)^  <version>([^<]+)</version>$");

    private Repository() {
    }

    static Path root() {
        String root = System.getProperty("optbench.root");
        Path path = root == null ? Path.of("../..") : Path.of(root);
        return path.toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String projectVersion() {
        Matcher matcher = PROJECT_VERSION.matcher(read(path("pom.xml")));
        if (!matcher.find()) {
            throw new IllegalStateException("no project version in the root pom.xml");
        }
        return matcher.group(1);
    }
}
