package io.scaflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository around the functions module, whose files (events/, statemachine/, template.yaml) some unit tests
 * read. Maven runs the tests in the module's folder, so the root is its parent. {@code sam build} runs them in a
 * copy of functions/ alone (when asked to run them at all): classes that read these files are
 * {@code @EnabledIf(Repository.PRESENT)} and are skipped there, and only there.
 */
public final class Repository {

    /** For {@code @EnabledIf}: true when the functions module sits in its repository. */
    public static final String PRESENT = "io.scaflow.testing.Repository#present";
    public static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private Repository() {
    }

    public static boolean present() {
        return ROOT != null && Files.isRegularFile(ROOT.resolve("functions/pom.xml"));
    }

    public static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
