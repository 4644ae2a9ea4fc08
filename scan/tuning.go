package scan

// tuning switches parts of the pipeline off, to measure what each buys
// (ablation_test.go). The zero value runs everything; callers of the
// package always get the zero value.
type tuning struct {
	skip      map[string]bool // pipeline steps left out, by name
	noTriples bool            // only gozxing's own finder triples
	noGrey    bool            // only gozxing's binary grid sampling
	noSharpen bool            // grey grids thresholded as sampled
	noHarder  bool            // finder scan without TRY_HARDER
	noPairs   bool            // no completion of finder pairs
	noFar     bool            // far corner as a parallelogram's
	noRerun   bool            // no second pass with found codes masked
}
