package io.tokenlab.runtime.compute;

import io.tokenlab.api.compute.Compute;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One backend as the dispatcher sees it: the service, its measured costs, and whether it gave up. */
final class BackendSlot {
    final Compute compute;
    final String name;
    final int ranking;
    volatile String description;
    volatile Map<Workload, CostModel> costs;
    /** Why the backend can serve nothing more, or null while it can. */
    volatile String disabledBecause;
    /** Warnings already logged, so that each kind of failure is reported once. */
    final Set<String> warned = ConcurrentHashMap.newKeySet();

    BackendSlot(Compute compute, int ranking) {
        this.compute = compute;
        this.name = compute.name();
        this.ranking = ranking;
        this.description = name;
    }

    boolean usable() {
        return disabledBecause == null;
    }

    double estimate(Workload workload, long size) {
        Map<Workload, CostModel> c = costs;
        if (c == null || !c.containsKey(workload)) {
            return Double.NaN;
        }
        return c.get(workload).estimate(size);
    }
}
