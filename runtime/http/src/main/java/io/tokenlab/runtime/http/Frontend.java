package io.tokenlab.runtime.http;

import io.tokenlab.runtime.TokenlabRuntime;

import java.util.concurrent.ExecutorService;

/** What every servlet of one serving frontend shares. */
record Frontend(TokenlabRuntime runtime, Settings settings, Guard guard, Metrics metrics, ExecutorService workers,
                Leasing leasing, PipelineRuns pipelineRuns) {
}
