// Coyote's testing engine takes over scheduling process-wide while it runs: one engine at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
