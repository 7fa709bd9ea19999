package io.scaflow.store;

/** Why a flow failed: an error name (e.g. the exception class Step Functions reported) and a readable message. */
public record FlowError(String code, String message) {
}
