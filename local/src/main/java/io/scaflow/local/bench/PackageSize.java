package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** What {@code sam build} put under {@code .aws-sam/build/<Function>/}: size, zipped size, jars, largest jars. */
final class PackageSize {

    private PackageSize() {
    }

    static ObjectNode measure(Path buildDir, Iterable<String> functions, StringBuilder table) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        table.append(String.format("%-28s %10s %10s %5s  %s%n", "function", "unzipped", "zipped", "jars",
                "largest jars (MB)"));
        for (String function : functions) {
            Path dir = buildDir.resolve(function);
            if (!Files.isDirectory(dir)) {
                table.append(String.format("%-28s missing (%s): run make sam-build%n", function, dir));
                continue;
            }
            List<Path> files = files(dir);
            long bytes = files.stream().mapToLong(PackageSize::size).sum();
            List<Path> jars = files.stream().filter(p -> p.toString().endsWith(".jar"))
                    .sorted(Comparator.comparingLong(PackageSize::size).reversed()).toList();
            long zipped = zippedSize(dir, files);
            ObjectNode node = result.putObject(function);
            node.put("bytes", bytes);
            node.put("zippedBytes", zipped);
            node.put("files", files.size());
            node.put("jars", jars.size());
            ArrayNode top = node.putArray("largestJars");
            StringBuilder names = new StringBuilder();
            for (Path jar : jars.subList(0, Math.min(5, jars.size()))) {
                top.addObject().put("jar", jar.getFileName().toString()).put("bytes", size(jar));
                names.append(names.length() == 0 ? "" : ", ").append(shortName(jar)).append(' ')
                        .append(String.format("%.1f", size(jar) / 1_000_000.0));
            }
            table.append(String.format("%-28s %10s %10s %5d  %s%n", function, mb(bytes), mb(zipped), jars.size(),
                    names));
        }
        return result;
    }

    /** {@code software.amazon.awssdk.dynamodb-2.59.1.jar} → {@code dynamodb}. */
    private static String shortName(Path jar) {
        return jar.getFileName().toString().replaceAll("\\.jar$", "")
                .replaceAll("^(software\\.amazon\\.awssdk|com\\.fasterxml\\.jackson\\.core|com\\.amazonaws|org\\.[a-z]+)\\.", "")
                .replaceAll("-[0-9][0-9.]*$", "");
    }

    static String mb(long bytes) {
        return String.format("%.2f MB", bytes / 1_000_000.0);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The size of the zip sam deploy would upload (default deflate level), counted without writing it. */
    private static long zippedSize(Path dir, List<Path> files) {
        long[] count = new long[1];
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try (ZipOutputStream zip = new ZipOutputStream(counter)) {
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count[0];
    }
}
