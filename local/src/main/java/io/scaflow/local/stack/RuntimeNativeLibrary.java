package io.scaflow.local.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The runtime interface client's native library, unpacked once for all the function JVMs of a local Lambda service.
 * Left to itself, each client JVM unpacks it to the same fixed path ({@code /tmp/.libaws-lambda-jni.so}) at start:
 * in Lambda every execution environment has a /tmp of its own, but here JVMs starting together overwrite the file
 * another is loading, and one of them crashes (seen: "file too short", then a JVM fatal error). Given the path in
 * {@link #PROPERTY}, the client loads that file instead, as Lambda's managed runtime has it installed.
 */
final class RuntimeNativeLibrary {

    /** The system property the client reads the library's path from. */
    static final String PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private RuntimeNativeLibrary() {
    }

    /**
     * The library of this machine (glibc Linux, x86_64 or aarch64) from the client jar among {@code runtimeJars},
     * unpacked into a new temporary folder; empty when there is none (the client then unpacks it itself).
     */
    static Optional<Path> unpack(List<Path> runtimeJars) {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String name = arch.equals("amd64") || arch.equals("x86_64") ? "jni/libaws-lambda-jni.linux-x86_64.so"
                : arch.equals("aarch64") ? "jni/libaws-lambda-jni.linux-aarch_64.so" : null;
        if (name == null) {
            return Optional.empty();
        }
        for (Path jar : runtimeJars) {
            if (!jar.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client")) {
                continue;
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(name);
                if (entry == null) {
                    return Optional.empty();
                }
                Path dir = Files.createTempDirectory("scaflow-lambda-jni-");
                Path library = dir.resolve("libaws-lambda-jni.so");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                }
                library.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return Optional.of(library);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack the runtime client's native library from " + jar, e);
            }
        }
        return Optional.empty();
    }
}
