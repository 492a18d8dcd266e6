package io.tokenlab.runtime.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.VersionRange;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry on a real framework: versions, conflicts, failures, removal and leases. */
class TechniqueRegistryTest {
    private static final String FIXTURE = "tokenizer/fixture";
    @TempDir
    Path storage;
    private EmptyFramework framework;
    private TechniqueRegistry registry;

    @BeforeEach
    void start() throws Exception {
        framework = new EmptyFramework(storage);
        registry = new TechniqueRegistry(framework.context(), null, Map::of);
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        framework.close();
    }

    private List<TechniqueInfo> rows(String technique) {
        return registry.list().stream().filter(i -> i.technique().equals(technique)).toList();
    }

    @Test
    void newestVersionServesFirstAndRangesSelect() throws Exception {
        Bundle old = framework.bundle("fixture.old", "1.0.0");
        Bundle current = framework.bundle("fixture.new", "2.1.0");
        EmptyFramework.offer(old, FIXTURE, "old service", Map.of());
        EmptyFramework.offer(current, FIXTURE, "new service", Map.of());
        assertThat(registry.candidates(FIXTURE, null)).extracting(e -> e.version().toString()).containsExactly("2.1.0", "1.0.0");
        assertThat(registry.candidates(FIXTURE, VersionRange.valueOf("[1.0,2.0)")))
                .extracting(TechniqueRegistry.Entry::bundleName).containsExactly("fixture.old");
        try (Lease lease = registry.acquire(FIXTURE, null, 0, () -> false).orElseThrow()) {
            assertThat(lease.service()).isEqualTo("new service");
            assertThat(lease.version()).isEqualTo("2.1.0");
        }
        try (Lease lease = registry.acquire(FIXTURE, VersionRange.valueOf("[1.0,2.0)"), 0, () -> false).orElseThrow()) {
            assertThat(lease.service()).isEqualTo("old service");
        }
        assertThat(registry.servable(FIXTURE, VersionRange.valueOf("[3.0,4.0)"))).isFalse();
        assertThat(registry.knownNames()).containsExactly(FIXTURE);
    }

    @Test
    void kindDecidesDefaultPortsAndPropertiesOverrideThem() throws Exception {
        Bundle b = framework.bundle("fixture", "1.0.0");
        EmptyFramework.offer(b, FIXTURE, "t", Map.of("tokenlab.description", "a fixture"));
        EmptyFramework.offer(b, "prune/fixture", "p", Map.of(TechniqueRegistry.INPUT_PORT, "text"));
        TechniqueInfo tokenizer = registry.info(registry.candidates(FIXTURE, null).get(0));
        assertThat(tokenizer.inputPort()).isEqualTo("text");
        assertThat(tokenizer.outputPort()).isEqualTo("token-ids");
        assertThat(tokenizer.description()).isEqualTo("a fixture");
        assertThat(registry.info(registry.candidates("prune/fixture", null).get(0)).inputPort()).isEqualTo("text");
    }

    @Test
    void aDecoderTakesItsKindsStageParametersWithoutDeclaringThem() throws Exception {
        EmptyFramework.offer(framework.bundle("fixture", "1.0.0"), "decoder/fixture", "d", Map.of());
        List<ParameterSpec> params = registry.info(registry.candidates("decoder/fixture", null).get(0)).parameters();
        assertThat(params).extracting(ParameterSpec::id)
                .containsExactly("max.tokens", "seed", "prompt", "tokenizer", "vocabulary", "model");
        assertThat(params.get(0).accepted()).isEqualTo("an integer in [1, 100000]");
        assertThat(params.get(0).defaults()).containsExactly("64");
        assertThat(params.get(0).name()).isEqualTo("Max tokens");
        assertThat(params).filteredOn(ParameterSpec::file).extracting(ParameterSpec::id).containsExactly("vocabulary");
    }

    @Test
    void pruneAndTransplantTechniquesTakeTheirKindsStageParameters() throws Exception {
        EmptyFramework.offer(framework.bundle("fixture", "1.0.0"), "prune/fixture", "p", Map.of());
        List<ParameterSpec> prune = registry.info(registry.candidates("prune/fixture", null).get(0)).parameters();
        assertThat(prune).extracting(ParameterSpec::id).containsExactly("keep.ratio", "keep");
        assertThat(prune.get(0).accepted()).isEqualTo("a double in [0.0001, 1]");
        assertThat(prune.get(1).defaults()).containsExactly("-1");
        EmptyFramework.offer(framework.bundle("fixture2", "1.0.0"), "transplant/fixture", "t", Map.of());
        List<ParameterSpec> transplant = registry.info(registry.candidates("transplant/fixture", null).get(0))
                .parameters();
        assertThat(transplant).extracting(ParameterSpec::id).containsExactly("source.vocabulary", "target.vocabulary");
        assertThat(transplant).allMatch(ParameterSpec::file);
        assertThat(transplant.get(0).defaults()).containsExactly("gpt2");
    }

    @Test
    void aModelProviderIsFoundWhetherOrNotItIsATechnique() throws Exception {
        Bundle b = framework.bundle("fixture", "1.0.0");
        b.getBundleContext().registerService(Object.class.getName(), "model",
                new java.util.Hashtable<>(Map.of("tokenlab.model", "fixture")));
        assertThat(registry.modelProvider("fixture")).isPresent();
        assertThat(registry.modelProvider("other")).isEmpty();
        assertThat(registry.knownNames()).isEmpty();
    }

    @Test
    void sameTechniqueAndVersionFromTwoBundlesIsAConflictWithOneServing() throws Exception {
        EmptyFramework.offer(framework.bundle("fixture.a", "1.0.0"), FIXTURE, "a", Map.of());
        EmptyFramework.offer(framework.bundle("fixture.b", "1.0.0"), FIXTURE, "b", Map.of());
        List<TechniqueInfo> rows = rows(FIXTURE);
        assertThat(rows).extracting(TechniqueInfo::state).containsExactly(TechniqueState.ACTIVE, TechniqueState.CONFLICT);
        assertThat(rows.get(0).detail()).contains("conflict").contains("fixture.b").contains("this one serves runs");
        assertThat(rows.get(1).detail()).contains("this one is not used");
        try (Lease lease = registry.acquire(FIXTURE, null, 0, () -> false).orElseThrow()) {
            assertThat(lease.service()).isEqualTo("a"); // registered first
        }
    }

    @Test
    void aRunFailureShowsUntilTheNextSuccessAndDoesNotStopServing() throws Exception {
        EmptyFramework.offer(framework.bundle("fixture", "1.0.0"), FIXTURE, "t", Map.of());
        TechniqueRegistry.Entry e = registry.candidates(FIXTURE, null).get(0);
        registry.recordRunFailure(e, new IllegalStateException("boom"));
        assertThat(rows(FIXTURE)).singleElement().satisfies(i -> {
            assertThat(i.state()).isEqualTo(TechniqueState.FAILED);
            assertThat(i.detail()).contains("last run threw").contains("boom");
        });
        assertThat(registry.acquire(FIXTURE, null, 0, () -> false)).isPresent().get().satisfies(Lease::close);
        registry.recordRunSuccess(e);
        assertThat(rows(FIXTURE)).extracting(TechniqueInfo::state).containsExactly(TechniqueState.ACTIVE);
    }

    @Test
    void anUnregisteredTechniqueShowsRemovedAndCannotBeLeased() throws Exception {
        ServiceRegistration<?> reg = EmptyFramework.offer(framework.bundle("fixture", "1.0.0"), FIXTURE, "t", Map.of());
        reg.unregister();
        assertThat(registry.candidates(FIXTURE, null)).isEmpty();
        assertThat(rows(FIXTURE)).singleElement().satisfies(i -> {
            assertThat(i.state()).isEqualTo(TechniqueState.REMOVED);
            assertThat(i.detail()).contains("removed or stopped");
        });
        assertThat(registry.acquire(FIXTURE, null, 0, () -> true)).isEmpty();
        assertThat(registry.acquire("tokenizer/never", null, 0, () -> false)).isEmpty();
    }

    @Test
    void aLeaseWaitsForAServiceThatIsStillArriving() throws Exception {
        Bundle b = framework.bundle("fixture", "1.0.0");
        AtomicReference<Object> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            // a lease is released on the thread that took it (its read lock is that thread's)
            try (Lease lease = registry.acquire(FIXTURE, null, 30_000, () -> true).orElseThrow()) {
                got.set(lease.service());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        Thread.sleep(100);
        EmptyFramework.offer(b, FIXTURE, "late", Map.of());
        waiter.join(30_000);
        assertThat(got.get()).isEqualTo("late");
    }

    /** An unregistration waits for the runs holding the service: the swap never pulls it from under a run. */
    @Test
    void removalWaitsForTheLeaseToClose() throws Exception {
        ServiceRegistration<?> reg = EmptyFramework.offer(framework.bundle("fixture", "1.0.0"), FIXTURE, "t", Map.of());
        Lease lease = registry.acquire(FIXTURE, null, 0, () -> false).orElseThrow();
        Thread remover = new Thread(reg::unregister);
        remover.start();
        remover.join(300);
        assertThat(remover.isAlive()).as("unregistration finished while a run held the service").isTrue();
        lease.close();
        remover.join(10_000);
        assertThat(remover.isAlive()).isFalse();
        assertThat(registry.candidates(FIXTURE, null)).isEmpty();
    }
}
