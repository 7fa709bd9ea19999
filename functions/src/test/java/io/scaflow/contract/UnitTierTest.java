package io.scaflow.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The unit tier (the functions module's tests not tagged {@code integration}, docs/tooling.md) starts no server and
 * no process: a test source that opens a server socket or a process is tagged {@code @Tag("integration")}.
 */
class UnitTierTest {

    private static final Path TESTS = Path.of("src/test/java");
    private static final Pattern STARTS_SOMETHING = Pattern.compile(
            "HttpServer\\.create|new ServerSocket|ServerSocketChannel\\.open|new ProcessBuilder|Runtime\\.getRuntime\\(\\)\\.exec"
                    + "|ProcessHandle|new Socket\\(");
    private static final Pattern INTEGRATION_TAG = Pattern.compile("@Tag\\(\"integration\"\\)");

    @Test
    void aTestThatStartsAServerOrAProcessIsTaggedIntegration() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(TESTS)) {
            sources = files.filter(file -> file.toString().endsWith(".java") && !file.endsWith("UnitTierTest.java")).toList();
        }

        assertThat(sources).as("the test sources under " + TESTS.toAbsolutePath()).hasSizeGreaterThan(10);
        assertThat(sources.stream().filter(file -> STARTS_SOMETHING.matcher(read(file)).find()))
                .allSatisfy(file -> assertThat(INTEGRATION_TAG.matcher(read(file)).find()).as(file.toString()).isTrue());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
