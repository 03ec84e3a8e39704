// Torch's thread pool and seeds are process-wide, and determinism tests fix them: run tests one at a time.
[assembly: DoNotParallelize]
