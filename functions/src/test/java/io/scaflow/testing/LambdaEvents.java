package io.scaflow.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.scaflow.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Events loaded by aws-lambda-java-tests' {@code @Event}, turned back into the bytes the Lambda runtime hands a
 * {@code RequestStreamHandler}: a Lambda event model (e.g. {@code APIGatewayProxyRequestEvent}) through the
 * runtime's own serializer, so the handler reads what the runtime's model of the event holds; a map (the step
 * events, which have no model) as JSON.
 */
public final class LambdaEvents {

    private LambdaEvents() {
    }

    @SuppressWarnings("unchecked")
    public static byte[] bytes(Object event) {
        try {
            if (event instanceof Map<?, ?> map) {
                return Json.MAPPER.writeValueAsBytes(map);
            }
            PojoSerializer<Object> serializer = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(
                    event.getClass(), ClassLoader.getSystemClassLoader());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializer.toJson(event, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
