package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scaflow.shine.ActionRequest;
import io.scaflow.shine.ActionRequestStatus;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The create's answers are all kept: a second call after a silent first one, and the first one's late answer. */
class HedgedCreateTest {

    private static final Duration RETRY_AFTER = Duration.ofMillis(50);

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseBlockedCalls() {
        release.countDown();
    }

    @Test
    void anAnswerInTimeMakesOneCall() {
        Calls calls = new Calls(() -> answer("first"), () -> answer("never"));

        int answers = new HedgedCreate(RETRY_AFTER, Duration.ofSeconds(5)).run(calls, "f", this::receive);

        assertThat(answers).isEqualTo(1);
        assertThat(received).containsExactly("first");
        assertThat(calls.made()).isEqualTo(1);
    }

    @Test
    void aSilentFirstCallIsMadeAgainAndItsLateAnswerIsStillReceived() {
        Calls calls = new Calls(() -> {
            await(release);
            return answer("first");
        }, () -> answer("second"));

        int answers = new HedgedCreate(RETRY_AFTER, Duration.ofSeconds(5)).run(calls, "f", request -> {
            receive(request);
            release.countDown();
        });

        assertThat(answers).isEqualTo(2);
        assertThat(received).containsExactly("second", "first");
        assertThat(calls.made()).isEqualTo(2);
    }

    @Test
    void eachCallWaitsForItsAnswerUntilTheDeadlineNotTheUsualTimeout() {
        Calls calls = new Calls(() -> answer("first"), () -> answer("second"));

        new HedgedCreate(RETRY_AFTER, Duration.ofSeconds(5)).run(calls, "f", this::receive);

        assertThat(calls.timeouts().get(0)).isGreaterThan(Duration.ofSeconds(4));
    }

    @Test
    void aFirstCallFailingBeforeTheRetryIsThrownAndNotMadeAgain() {
        Calls calls = new Calls(() -> {
            throw new ShineUnavailableException("503", null);
        }, () -> answer("second"));

        assertThatThrownBy(() -> new HedgedCreate(RETRY_AFTER, Duration.ofSeconds(5)).run(calls, "f", this::receive))
                .isInstanceOf(ShineUnavailableException.class).hasMessage("503");
        assertThat(calls.made()).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    @Test
    void aFailedSecondCallStillLetsTheFirstAnswerCount() {
        Calls calls = new Calls(() -> {
            await(release);
            return answer("first");
        }, () -> {
            release.countDown();
            throw new ShineUnavailableException("503", null);
        });

        int answers = new HedgedCreate(RETRY_AFTER, Duration.ofSeconds(5)).run(calls, "f", this::receive);

        assertThat(answers).isEqualTo(1);
        assertThat(received).containsExactly("first");
    }

    @Test
    void shineRefusingACallWinsOverAnotherFailure() {
        CountDownLatch secondDone = new CountDownLatch(1);
        Calls calls = new Calls(() -> {
            await(secondDone);
            throw new ShineUnavailableException("503", null);
        }, () -> {
            secondDone.countDown();
            throw new ShineClientException("POST create", 400, "bad uid");
        });

        assertThatThrownBy(() -> new HedgedCreate(RETRY_AFTER, Duration.ofSeconds(5)).run(calls, "f", this::receive))
                .isInstanceOf(ShineClientException.class);
        assertThat(calls.made()).isEqualTo(2);
    }

    @Test
    void noAnswerBeforeTheDeadlineIsShineUnavailable() {
        Calls calls = new Calls(() -> {
            await(release);
            return answer("first");
        }, () -> {
            await(release);
            return answer("second");
        });

        assertThatThrownBy(() -> new HedgedCreate(RETRY_AFTER, Duration.ofMillis(1200)).run(calls, "f", this::receive))
                .isInstanceOf(ShineUnavailableException.class).hasMessageContaining("no answer within");
        assertThat(calls.made()).isEqualTo(2);
        assertThat(received).isEmpty();
    }

    @Test
    void noSecondCallWhenItCouldNotBeAnsweredInTime() {
        Calls calls = new Calls(() -> {
            await(release);
            return answer("first");
        }, () -> answer("second"));

        assertThatThrownBy(() -> new HedgedCreate(RETRY_AFTER, Duration.ofMillis(400)).run(calls, "f", this::receive))
                .isInstanceOf(ShineUnavailableException.class);
        assertThat(calls.made()).isEqualTo(1);
    }

    private void receive(ActionRequest request) {
        received.add(request.id());
    }

    private static ActionRequest answer(String id) {
        Instant now = Instant.now();
        return new ActionRequest(id, "client", "bank:transfers:create", null, "uid", ActionRequestStatus.PENDING,
                "PENDING", Optional.empty(), now, now, now.plusSeconds(60));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the call");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Call n behaves as the n-th supplier; records each call's timeout. */
    private static final class Calls implements HedgedCreate.Call {
        private final List<Supplier<ActionRequest>> behaviours;
        private final List<Duration> timeouts = new CopyOnWriteArrayList<>();

        @SafeVarargs
        Calls(Supplier<ActionRequest>... behaviours) {
            this.behaviours = List.of(behaviours);
        }

        @Override
        public ActionRequest create(Duration timeout) {
            int index;
            synchronized (this) {
                index = timeouts.size();
                timeouts.add(timeout);
            }
            return behaviours.get(index).get();
        }

        int made() {
            return timeouts.size();
        }

        List<Duration> timeouts() {
            return new ArrayList<>(timeouts);
        }
    }
}
