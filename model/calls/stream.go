package calls

// StreamChunk is how many calls Stream is best given to read at a time: enough for the lines of a chunk to
// be read back in large windows on every core, few enough that their summaries weigh a
// few megabytes.
const StreamChunk = 2048

// Stream hands fn the summary of every call, in order of appearance, exactly as Calls
// returns them, n calls at a time (see StreamChunk): each chunk's summaries are read, handed out and then
// forgotten, so that a report of a large log holds one chunk of summaries rather than all
// of them (~1.9 KB a call): headless reports use it, and every look through all the calls
// (Names, Instance). Calls that change meanwhile are handed out as they stand when their
// chunk is read. It stops at fn's first error, and returns it.
func (x *Index) Stream(n int, fn func(chunk []Call) error) error {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	for next := 0; ; {
		x.mu.RLock()
		snaps := make([]snapshot, 0, n)
		for ; next < x.calls.Len() && len(snaps) < n; next++ {
			if c := x.calls.Get(next); c != nil {
				snaps = append(snaps, x.snapshot(c))
			}
		}
		x.mu.RUnlock()
		if len(snaps) == 0 {
			return nil
		}
		chunk := s.bringOnce(snaps)
		if err := fn(chunk); err != nil {
			return err
		}
	}
}
