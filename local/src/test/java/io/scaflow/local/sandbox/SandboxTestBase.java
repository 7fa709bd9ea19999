package io.scaflow.local.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh sandbox on a free port for each test, with an HTTP helper speaking to it. */
abstract class SandboxTestBase {

    protected ShineSandbox sandbox;
    protected SandboxHttp http;

    @BeforeEach
    void startSandbox() {
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0));
        http = new SandboxHttp(sandbox);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }
}
