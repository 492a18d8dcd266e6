package io.tokenlab.runtime.compute;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.compute.opencl.OpenClCompute;
import io.tokenlab.runtime.compute.opencl.OpenClSettings;
import io.tokenlab.runtime.compute.scalar.BackendParityKit;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The dispatcher over all three backends, calibrated, must answer like the reference whatever it picks. */
class DispatcherParityTest extends BackendParityKit {
    private static VectorCompute vector;
    private static OpenClCompute openCl;
    private static ComputeDispatcher dispatcher;

    @BeforeAll
    static void start() {
        vector = new VectorCompute(2);
        openCl = new OpenClCompute(OpenClSettings.defaults());
        dispatcher = new ComputeDispatcher();
        dispatcher.addBackend(new ScalarCompute(), 10);
        dispatcher.addBackend(vector, 20);
        dispatcher.addBackend(openCl, 30);
        dispatcher.calibrate();
    }

    @AfterAll
    static void stop() {
        vector.close();
        openCl.close();
    }

    @Override
    protected Compute backend() {
        return dispatcher;
    }
}
