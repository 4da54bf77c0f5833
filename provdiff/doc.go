// Package provdiff answers "what changed between these two builds?" for two
// provenance statements, the question asked when a rebuild is not
// reproducible: the builder, the build type, every parameter (flattened to
// a path such as externalParameters.workflow.ref), the resolved dependencies
// added, removed and changed, the subjects, and — reported apart, since they
// change on every run — the run's metadata (invocation id, start and finish
// times).
//
// Both SLSA Provenance v1 and v0.2 predicates are read; v0.2 fields map onto
// the same sections (invocation parameters, materials as dependencies,
// metadata) under their own v0.2 names. Compare works on parsed statements
// and never checks signatures: verify them first if it matters.
package provdiff
