package io.scaflow.api;

import io.scaflow.store.InMemoryDynamoDb;

/**
 * The flow table the API tests use: {@link InMemoryDynamoDb} (get, conditional put, conditional update), with
 * {@code put} to store an item as is (e.g. one written by an older version) and {@code size}.
 */
final class FakeDynamoDb extends InMemoryDynamoDb {
}
