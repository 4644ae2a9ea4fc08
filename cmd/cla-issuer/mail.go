package main

import (
	"context"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/store"
)

// mailStatus is `cla-issuer mail status`: the outbox's counts, and each
// dead mail with why (addresses hashed, as the deliverer keeps them).
func (c *sub) mailStatus(args []string) error {
	db, err := c.open("mail status", args, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	st, err := store.CountMail(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "outbox: %d waiting (%d deferred at least once), %d dead\n", st.Queued, st.Retrying, st.Dead)
	if !st.Oldest.IsZero() {
		fmt.Fprintf(c.stdout, "oldest waiting since %s\n", st.Oldest.UTC().Format(time.RFC3339))
	}
	return db.View(ctx, func(tx store.Tx) error {
		return tx.Mails(func(m *store.Mail) error {
			if m.Dead {
				fmt.Fprintf(c.stdout, "dead %s  queued %s  to %s  attempts %d  %s\n", m.MessageID,
					m.Created.UTC().Format(time.RFC3339), mailq.HashAddress(m.To), m.Attempts+1, m.Error)
			}
			return nil
		})
	})
}

// mailRequeue is `cla-issuer mail requeue`: every dead mail due again,
// once the relay that refused them is fixed.
func (c *sub) mailRequeue(args []string) error {
	db, err := c.open("mail requeue", args, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := mailq.Requeue(context.Background(), db, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d dead e-mails queued again\n", n)
	return nil
}
