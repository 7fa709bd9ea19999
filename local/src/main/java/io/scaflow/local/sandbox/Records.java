package io.scaflow.local.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Every Shine API call and every executed transfer, in order. */
final class Records {

    private final List<CallRecord> calls = new ArrayList<>();
    private final List<TransferRecord> transfers = new ArrayList<>();

    synchronized void addCall(CallRecord call) {
        calls.add(call);
    }

    synchronized void addTransfer(TransferRecord transfer) {
        transfers.add(transfer);
    }

    synchronized List<CallRecord> calls() {
        return List.copyOf(calls);
    }

    synchronized List<TransferRecord> transfers() {
        return List.copyOf(transfers);
    }

    synchronized void clear() {
        calls.clear();
        transfers.clear();
    }
}
