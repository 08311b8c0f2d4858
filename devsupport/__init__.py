"""What the tests and the benchmarks share, and the app never imports: throwaway databases
(`databases`), real gunicorn and job-worker processes (`servers`), the load run with its
simulated users (`load`) and synthetic workspaces of any size (`synthetic`)."""
