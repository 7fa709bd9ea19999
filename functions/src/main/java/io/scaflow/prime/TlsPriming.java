package io.scaflow.prime;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Loads the JDK's TLS client side (the default context, its trust store, a ClientHello written into a buffer) so
 * that the first https call after a restore does not pay for it. Nothing is sent: the engine is never connected.
 * The default context's {@code SecureRandom} is the JDK's, which Lambda names snap-resilient (it reads fresh
 * entropy after a restore); no session exists to be resumed.
 */
public final class TlsPriming {

    private TlsPriming() {
    }

    public static void prime() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("priming.invalid", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        engine.closeOutbound();
    }
}
