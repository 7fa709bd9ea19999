package io.scaflow.shine;

import com.fasterxml.jackson.databind.JsonNode;

/** Shine's answer to an executed action: the HTTP status and the envelope's {@code data}. */
public record ActionResult(int httpStatus, JsonNode data) {
}
