package io.scaflow.input;

import com.fasterxml.jackson.databind.JsonNode;

/** A checked request to run {@code action} for {@code uid} with {@code payload}. */
public record ActionInput(String action, String uid, JsonNode payload) {
}
