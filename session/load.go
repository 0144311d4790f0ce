package session

import (
	"context"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// Load indexes inputs read once (source.Plan without Live, with ReadBack, so that their
// entries can be read back) into st, each as a source of its own, on all cores: what the
// calls and security reports read.
func Load(ctx context.Context, st *store.Store, inputs []source.Input, newParser model.NewParserFunc) error {
	for _, in := range inputs {
		src := st.AddOrigin(store.Origin{Name: in.Name, Text: in.Text})
		if err := st.Load(ctx, src, in.R, newParser, split.Options{}); err != nil {
			return err
		}
	}
	return nil
}
