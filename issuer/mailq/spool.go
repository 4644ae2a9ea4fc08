package mailq

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// load reads the header of every spooled message and queues them in
// enqueue order. A record that does not decode is moved to dead/.
func (q *Queue) load() error {
	ents, err := os.ReadDir(q.dir)
	if err != nil {
		return fmt.Errorf("mail: spool: %w", err)
	}
	now := q.opt.Now()
	for _, de := range ents {
		id, ok := strings.CutSuffix(de.Name(), ".msg")
		if !ok || !de.Type().IsRegular() || !validID(id) {
			continue
		}
		h, err := readHead(q.spoolPath(id))
		if err != nil {
			if err := q.bury(id, 0, err); err != nil {
				q.log.Error("mail spool file unreadable and not dead-lettered", "id", id, "err", err)
			}
			continue
		}
		q.entries = append(q.entries, &entry{id: id, enqueued: h.Enqueued, due: now})
	}
	slices.SortFunc(q.entries, byEnqueued)
	q.stats.dead = countDead(q.deadDir)
	if len(q.entries) > 0 {
		q.log.Info("mail spool loaded", "queued", len(q.entries), "dead", q.stats.dead)
	}
	return nil
}

// readHead reads and checks a spool file's header, and that the file is
// as long as the header says.
func readHead(path string) (*recordHead, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, MaxRecordHeader)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	h, err := decodeHead(buf[:n])
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() != int64(h.offset+h.size) {
		return nil, fmt.Errorf("%w: file is %d bytes, header says %d", ErrCorruptRecord, fi.Size(), h.offset+h.size)
	}
	return h, nil
}

func countDead(dir string) int {
	m, _ := filepath.Glob(filepath.Join(dir, "*.msg"))
	return len(m)
}
