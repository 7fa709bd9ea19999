package io.scaflow.local.tooling;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * One function's {@code sam build} output, {@code .aws-sam/build/<Function>/}: the project's classes at its root,
 * its jars in {@code lib/}; a class loader over exactly those (the JDK's platform classes as its parent, so nothing
 * of the test's own class path is seen), and the SDK operations its classes call.
 */
record FunctionPackage(String function, Path dir) {

    private static final Pattern SERVICE_JAR =
            Pattern.compile("software\\.amazon\\.awssdk\\.([a-z]+)-[0-9][0-9.]*\\.jar");
    /** An SDK operation called on a service client (either overload): its service, client, name, response. */
    private static final Pattern OPERATION_CALL = Pattern.compile(
            "InterfaceMethod software/amazon/awssdk/services/([a-z]+)/([A-Za-z]+)Client\\.([A-Za-z]+):"
                    + "\\([^)]*\\)Lsoftware/amazon/awssdk/services/\\1/model/([A-Za-z]+)Response;");

    /** An SDK operation: the service (its package), the client interface's simple name, the operation's names. */
    record Operation(String service, String client, String method, String name) implements Comparable<Operation> {

        String requestClass() {
            return "software.amazon.awssdk.services." + service + ".model." + name + "Request";
        }

        @Override
        public int compareTo(Operation other) {
            return toString().compareTo(other.toString());
        }
    }

    @Override
    public String toString() {
        return function;
    }

    /** The SDK service jars it ships, by service id ({@code dynamodb}...). */
    Map<String, Path> serviceJars() {
        Map<String, Path> jars = new TreeMap<>();
        for (Path jar : jars()) {
            Matcher m = SERVICE_JAR.matcher(jar.getFileName().toString());
            if (m.matches() && isServiceJar(jar, m.group(1))) {
                jars.put(m.group(1), jar);
            }
        }
        return jars;
    }

    private static boolean isServiceJar(Path jar, String id) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(e -> e.getName().startsWith("software/amazon/awssdk/services/" + id + "/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> jars() {
        try (Stream<Path> list = Files.list(dir.resolve("lib"))) {
            return list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new class loader over the package (the caller closes it). */
    URLClassLoader loader() {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(dir.toUri().toURL());
            for (Path jar : jars()) {
                urls.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        return new URLClassLoader(function, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** The class names of one of its jars. */
    static Set<String> classNames(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Set<String> names = new TreeSet<>();
            file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every operation of {@code services} the project's classes call (read from their bytecode with javap). Each
     * package holds all of them; a service it does not ship is one its function never builds (FunctionPackagesTest).
     */
    Set<Operation> operationsCalled(Set<String> services) {
        List<String> args = new ArrayList<>(List.of("-c", "-p"));
        try (Stream<Path> walk = Files.walk(dir.resolve("io"))) {
            walk.filter(p -> p.toString().endsWith(".class")).sorted().forEach(p -> args.add(p.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        int status = javap.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javap failed: " + out);
        }
        Set<Operation> operations = new TreeSet<>();
        Matcher m = OPERATION_CALL.matcher(out.toString());
        while (m.find()) {
            if (services.contains(m.group(1))) {
                operations.add(new Operation(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        return operations;
    }

    /** The first operation of {@code service} it calls, if any. */
    Optional<Operation> anOperationOf(String service) {
        return operationsCalled(Set.of(service)).stream().findFirst();
    }
}
