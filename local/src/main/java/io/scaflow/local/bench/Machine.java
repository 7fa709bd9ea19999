package io.scaflow.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the figures come from: CPU, memory, JDK, load average. */
final class Machine {

    private Machine() {
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static ObjectNode describe() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("nproc", Runtime.getRuntime().availableProcessors());
        node.put("cpu", procField("/proc/cpuinfo", "model name"));
        String mem = procField("/proc/meminfo", "MemTotal");
        try {
            long kb = Long.parseLong(mem.replaceAll("[^0-9]", ""));
            node.put("memory", String.format("%.1f GiB", kb / 1024.0 / 1024.0));
        } catch (NumberFormatException e) {
            node.put("memory", mem);
        }
        node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        node.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return node;
    }

    private static String procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
