package degrade

import "sync"

// RenderAll renders specs on the given number of goroutines, in order.
func RenderAll(specs []Spec, workers int) ([]Case, error) {
	cases := make([]Case, len(specs))
	errs := make([]error, len(specs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cases[i], errs[i] = specs[i].Render()
			}
		}()
	}
	for i := range specs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return cases, nil
}
