package calls

import "github.com/calltail/calltail/model"

// Together returns the calls of call n's conference instance that were there while it was
// (their times overlap; a call that has not ended lasts until now), n among them, in order
// of their numbers.
func (x *Index) Together(n int) []Call {
	c, ok := x.Call(n)
	if !ok {
		return nil
	}
	var out []Call
	for _, o := range x.Instance(n) {
		if overlap(&c, &o) {
			out = append(out, o)
		}
	}
	return out
}

// Legs returns the other calls that share one of call n's Conversation-Ids: the other
// legs of the same conversation (audio and video, presentation, a chat).
func (x *Index) Legs(n int) []Call {
	c, ok := x.Call(n)
	if !ok {
		return nil
	}
	seen := map[int]bool{n: true}
	var out []Call
	for _, conv := range c.ConversationIDs {
		id, ok := x.st.IDNumber(model.ConversationID, conv)
		if !ok {
			continue
		}
		for _, o := range x.callsWith(id) {
			if !seen[o.Number] {
				seen[o.Number] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// overlap reports whether two calls were there at the same time: each started before the
// other ended (a call without an end has not ended).
func overlap(a, b *Call) bool {
	before := func(start, end int64) bool { return end == 0 || start <= end }
	return before(a.Start, b.End) && before(b.Start, a.End)
}
