package dev.optbench.viz;

import dev.optbench.testsupport.ServiceEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(TestDatabase.class)
class ServiceEndpointsTest extends ServiceEndpointsContract {
}
