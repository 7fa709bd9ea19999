package io.scaflow.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The cold-start floor: a hello-world Java handler, run by {@link ColdStartProbe} exactly like the real ones. */
public final class HelloHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
    }
}
