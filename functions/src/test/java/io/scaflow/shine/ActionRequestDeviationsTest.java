package io.scaflow.shine;

import io.scaflow.core.Secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Action request answers that keep to Shine's documentation while differing from its samples. */
class ActionRequestDeviationsTest {

    private static final String ENDPOINT = "GET /poll";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2019-11-28T17:09:17Z,            2019-11-28T17:09:17Z",
            "2019-11-28T17:09:17.437Z,        2019-11-28T17:09:17.437Z",
            "2019-11-28T17:09:17.437123Z,     2019-11-28T17:09:17.437123Z",
            "2019-11-28T17:09:17.437123456Z,  2019-11-28T17:09:17.437123456Z",
            "2019-11-28T17:09:17.437000000+00:00, 2019-11-28T17:09:17.437Z",
            "2019-11-28T17:09:17+00:00,       2019-11-28T17:09:17Z",
            "2019-11-28T19:09:17.437+02:00,   2019-11-28T17:09:17.437Z",
            "2019-11-28T12:39:17.4-04:30,     2019-11-28T17:09:17.400Z",
            "2019-11-28T18:09:17.437+0100,    2019-11-28T17:09:17.437Z",
            "2019-11-28T17:09:17.437,         2019-11-28T17:09:17.437Z"})
    void readsTimestampsWithAnyFractionAndOffset(String written, String instant) {
        ActionRequest request = parse("""
                {"data": {"authenticationActionRequestId": "ar-1", "status": "PENDING",
                 "createdAt": "%1$s", "updatedAt": "%1$s", "expiresAt": "%1$s"}, "metadata": {}}""".formatted(written));

        assertThat(request.expiresAt()).isEqualTo(Instant.parse(instant));
        assertThat(request.createdAt()).isEqualTo(Instant.parse(instant));
        assertThat(request.updatedAt()).isEqualTo(Instant.parse(instant));
    }

    @Test
    void aNullTokenAndUnknownFieldsAtEveryLevelAreIgnored() {
        ActionRequest request = parse("""
                {"data": {"authenticationActionRequestId": "ar-1", "clientId": "c", "action": "bank:transfers:create",
                  "payload": {"amount": 234, "bankTransferRecipientId": "r", "uid": "u", "currency": "EUR",
                              "extra": {"nested": [1, {"deeper": true}]}},
                  "uid": "u", "status": "PENDING", "token": null, "channel": {"kind": "push", "sentAt": null},
                  "updatedAt": "2019-11-28T17:08:17.455967000Z", "createdAt": "2019-11-28T17:08:17.455967000Z",
                  "expiresAt": "2019-11-28T17:09:17.437000000Z", "scaVersion": 3},
                 "metadata": {"requestId": "m-1", "pagination": {"next": null}}, "links": [{"rel": "self"}],
                 "apiVersion": "2.1"}""");

        assertThat(request.id()).isEqualTo("ar-1");
        assertThat(request.status()).isEqualTo(ActionRequestStatus.PENDING);
        assertThat(request.token()).isEmpty();
        assertThat(request.payload().get("amount").intValue()).isEqualTo(234);
        assertThat(request.expiresAt()).isEqualTo(Instant.parse("2019-11-28T17:09:17.437Z"));
    }

    @ParameterizedTest(name = "token {0}")
    @CsvSource(value = {"absent|", "null|, \"token\": null", "blank|, \"token\": \"  \""}, delimiter = '|')
    void aConfirmedAnswerWithoutItsTokenIsNotAnError(String name, String tokenField) {
        ActionRequest request = parse("""
                {"data": {"authenticationActionRequestId": "ar-1", "status": "CONFIRMED"%s,
                 "updatedAt": "2019-11-28T17:08:30Z", "expiresAt": "2019-11-28T17:09:17Z"}}"""
                .formatted(tokenField == null ? "" : tokenField));

        assertThat(request.status()).isEqualTo(ActionRequestStatus.CONFIRMED);
        assertThat(request.token()).isEmpty();
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({"PENDING, PENDING", "CONFIRMED, CONFIRMED", "REJECTED, REJECTED", "confirmed, CONFIRMED",
            "' REJECTED ', REJECTED", "IN_REVIEW, UNKNOWN", "EXPIRED, UNKNOWN", "'', UNKNOWN"})
    void everyDocumentedStatusIsKnownAndAnyOtherIsUnknown(String written, ActionRequestStatus expected) {
        assertThat(ActionRequestStatus.from(written)).isEqualTo(expected);
    }

    @Test
    void anUnknownStatusKeepsItsRawTextAndIsNotExpiredBeforeExpiresAt() {
        ActionRequest request = parse("""
                {"data": {"authenticationActionRequestId": "ar-1", "status": "IN_REVIEW", "token": "t",
                 "expiresAt": "2030-01-01T00:00:00Z"}}""");

        assertThat(request.status()).isEqualTo(ActionRequestStatus.UNKNOWN);
        assertThat(request.rawStatus()).isEqualTo("IN_REVIEW");
        assertThat(request.token()).map(Secret::reveal).contains("t");
    }

    private static ActionRequest parse(String body) {
        return WireFormat.actionRequest(ENDPOINT, WireFormat.data(ENDPOINT, body));
    }
}
