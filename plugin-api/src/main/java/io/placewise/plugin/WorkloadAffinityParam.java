package io.placewise.plugin;

import io.placewise.model.WorkloadAffinityMatrix;

/**
 * The workload-affinity matrix as a policy parameter ({@code matrix}), declared, checked and parsed
 * the same way by every policy that reads it (the hard filter and the soft weigher).
 */
public final class WorkloadAffinityParam {
    public static final String NAME = "matrix";

    private WorkloadAffinityParam() {
    }

    public static ParamSpec spec() {
        return ParamSpec.list(NAME, WorkloadAffinityMatrix.DEFAULT,
                "workload-affinity scores in [-1, 1] as class:class=score, symmetric; unlisted pairs score 0");
    }

    /** @throws IllegalArgumentException naming the parameter when the matrix does not parse */
    public static void validate(PolicyParams params) {
        try {
            WorkloadAffinityMatrix.parse(params.getList(NAME));
        } catch (IllegalArgumentException e) {
            throw new ParamException(NAME, e.getMessage());
        }
    }

    /** The parsed matrix, parsed once per parameter set. */
    public static WorkloadAffinityMatrix of(PolicyParams params) {
        return params.derived(NAME, p -> WorkloadAffinityMatrix.parse(p.getList(NAME)));
    }
}
