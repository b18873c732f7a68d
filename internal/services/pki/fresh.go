package pki

import "context"

// fresh makes Graph reads under ctx bypass the client's short read cache, so a poll sees the job's progress.
// TODO: return graph.Fresh(ctx) once internal/graph commits it.
func fresh(ctx context.Context) context.Context { return ctx }
