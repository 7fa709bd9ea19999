package io.scaflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The failure names the store maps by text stay the names of real exception classes when a class is renamed. */
class ErrorCodeNamesTest {

    @Test
    void everyScaflowFailureNameIsALoadableExceptionClass() throws ClassNotFoundException {
        assertThat(ErrorCode.names()).filteredOn(name -> name.startsWith("io.scaflow.")).isNotEmpty()
                .allSatisfy(name -> assertThat(Throwable.class.isAssignableFrom(Class.forName(name)))
                        .as(name).isTrue());
    }

    @Test
    void theShineClientsExceptionsHaveTheirCodes() {
        assertThat(ErrorCode.forName(io.scaflow.shine.ShineClientException.class.getName()))
                .isEqualTo(ErrorCode.SHINE_REJECTED_REQUEST);
        assertThat(ErrorCode.forName(io.scaflow.shine.ShineOutcomeUnknownException.class.getName()))
                .isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(ErrorCode.forName(io.scaflow.shine.ShineUnavailableException.class.getName()))
                .isEqualTo(ErrorCode.SHINE_UNAVAILABLE);
    }
}
