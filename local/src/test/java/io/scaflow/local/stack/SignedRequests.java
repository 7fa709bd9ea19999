package io.scaflow.local.stack;

import io.scaflow.local.emulator.LocalAws;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK's own SigV4 signer (service execute-api), as a deployed API's callers sign them. */
public final class SignedRequests {

    /** Who signs, for which region, at which time. */
    public record Signing(String accessKeyId, String secretAccessKey, String region, Clock clock) {

        /** The local stack's credentials, its region, now. */
        public static Signing local() {
            return new Signing(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, LocalAws.REGION_ID,
                    Clock.systemUTC());
        }
    }

    /** Headers java.net.http sets itself (the signer signs the same Host). */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    private SignedRequests() {
    }

    /** {@code method uri} with a JSON {@code body} (null: none), signed. */
    public static HttpRequest.Builder sign(String method, URI uri, String body, Signing signing) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(signing.accessKeyId(), signing.secretAccessKey()))
                .request(unsigned.build())
                .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4Verifier.SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, signing.region())
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, signing.clock())).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        signed.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request;
    }
}
