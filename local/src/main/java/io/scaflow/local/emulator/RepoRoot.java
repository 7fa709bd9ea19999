package io.scaflow.local.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the scaflow repository root (the folder holding the {@code Makefile}). */
public final class RepoRoot {
    /** System property naming the repository root; surefire sets it in {@code local/pom.xml}. */
    public static final String PROPERTY = "scaflow.root";

    private RepoRoot() {
    }

    /**
     * The repository root: the system property {@value #PROPERTY} when set, otherwise the working directory or
     * the nearest parent of it that holds a {@code Makefile}.
     *
     * @throws IllegalStateException when neither gives a folder
     */
    public static Path find() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            Path root = Path.of(property).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + property + " is not a folder");
            }
            return root;
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("Makefile"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the scaflow repository root: no Makefile in " + start
                + " or above it; set -D" + PROPERTY + "=<repo root>");
    }
}
