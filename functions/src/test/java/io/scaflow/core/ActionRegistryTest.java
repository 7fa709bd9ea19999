package io.scaflow.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActionRegistryTest {

    @Test
    void knowsTheBankTransferOutOfTheBox() {
        assertThat(ActionRegistry.builtIn().endpoint("bank:transfers:create"))
                .contains(new ActionEndpoint("POST", "/v3/bank/transfers"));
        assertThat(ActionRegistry.builtIn().supports("bank:beneficiaries:create")).isFalse();
    }

    @Test
    void takesMoreActionsFromConfiguration() {
        ActionRegistry registry = ActionRegistry.withExtra(
                "{\"bank:beneficiaries:create\": {\"method\": \"POST\", \"path\": \"/v3/bank/beneficiaries\"}}");

        assertThat(registry.endpoint("bank:beneficiaries:create"))
                .contains(new ActionEndpoint("POST", "/v3/bank/beneficiaries"));
        assertThat(registry.supports("bank:transfers:create")).isTrue();
    }

    @Test
    void explainsABadConfiguration() {
        assertThatThrownBy(() -> ActionRegistry.withExtra("{"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ActionRegistry.withExtra("{\"Transfers\": {\"method\": \"POST\", \"path\": \"/x\"}}"))
                .hasMessageContaining("'Transfers' is not an action name");
        assertThatThrownBy(() -> ActionRegistry.withExtra("{\"a:b\": {\"method\": \"GET\", \"path\": \"/x\"}}"))
                .hasMessageContaining("action 'a:b'").hasMessageContaining("method must be one of");
        assertThatThrownBy(() -> ActionRegistry.withExtra("{\"a:b\": {\"method\": \"POST\", \"path\": \"x?y\"}}"))
                .hasMessageContaining("path must start with '/'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "{\"bank:transfers:create\": {\"method\": \"POST\", \"path\": \"/v3/bank/transfers2\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/../admin\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/bank/..\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/./bank\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/%2e%2e/admin\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/%2E%2E/admin\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3//bank\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/admin/x\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/bank/\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/bank?x=1\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/bank#x\"}}",
            "{\"a:b\": {\"method\": \"POST\", \"path\": \"/v3/b\\\\ank\"}}"})
    void aConfiguredActionCannotReplaceABuiltInOneNorLeaveTheVersionedApi(String json) {
        assertThatThrownBy(() -> ActionRegistry.withExtra(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SHINE_ACTIONS");
    }

    @Test
    void safePathsAreKept() {
        ActionRegistry registry = ActionRegistry.withExtra(
                "{\"bank:cards:topup\": {\"method\": \"PUT\", \"path\": \"/v3/bank/cards/top-ups_v2.json\"}}");
        assertThat(registry.endpoint("bank:cards:topup")).contains(new ActionEndpoint("PUT", "/v3/bank/cards/top-ups_v2.json"));
        assertThat(registry.endpoint("bank:transfers:create")).contains(new ActionEndpoint("POST", "/v3/bank/transfers"));
    }
}
