// Command tlog-crosscheck checks Aduan's audit checkpoints and proofs with an implementation the
// Aduan team did not write: Go's golang.org/x/mod/sumdb/note (signed notes) and sumdb/tlog (the
// RFC 6962 tree of the Go checksum database). Debian ships both (golang-golang-x-mod-dev), so it
// builds offline:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o tlog-crosscheck ./tools/tlog-crosscheck
//
// It reads one JSON document on stdin (see input), rebuilds the tree from the leaf data with tlog,
// and prints a JSON report; it exits 1 if anything does not check.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	// The log's signed-note verifier key, <name>+<hash>+<key>.
	VerifierKey string `json:"verifier_key"`
	// Every leaf's data in tree order (Aduan's canonical JSON of id, stream, seq, hash).
	Leaves []string `json:"leaves"`
	// Signed checkpoints (C2SP tlog-checkpoint notes).
	Checkpoints []string `json:"checkpoints"`
	Inclusion   []struct {
		LeafIndex int64    `json:"leaf_index"`
		TreeSize  int64    `json:"tree_size"`
		LeafData  string   `json:"leaf_data"`
		RootHash  string   `json:"root_hash"`
		Proof     []string `json:"proof"`
	} `json:"inclusion"`
	Consistency []struct {
		First      int64    `json:"first"`
		Second     int64    `json:"second"`
		FirstRoot  string   `json:"first_root"`
		SecondRoot string   `json:"second_root"`
		Proof      []string `json:"proof"`
	} `json:"consistency"`
}

type report struct {
	CheckpointsOpened   int      `json:"checkpoints_opened"`
	RootsMatched        int      `json:"roots_matched"`
	InclusionChecked    int      `json:"inclusion_checked"`
	InclusionSameAsGo   int      `json:"inclusion_same_as_go"`
	ConsistencyChecked  int      `json:"consistency_checked"`
	ConsistencySameAsGo int      `json:"consistency_same_as_go"`
	Errors              []string `json:"errors"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail(err)
	}
	out := report{Errors: []string{}}
	errorf := func(format string, args ...interface{}) {
		out.Errors = append(out.Errors, fmt.Sprintf(format, args...))
	}

	verifier, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		fail(err)
	}

	// The tree, built by tlog from the leaf data: tlog.RecordHash(data) is RFC 6962's leaf hash.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hashes := make([]tlog.Hash, len(indexes))
		for i, index := range indexes {
			if index >= int64(len(stored)) {
				return nil, fmt.Errorf("no stored hash %d", index)
			}
			hashes[i] = stored[index]
		}
		return hashes, nil
	})
	for i, data := range in.Leaves {
		hashes, err := tlog.StoredHashes(int64(i), []byte(data), reader)
		if err != nil {
			fail(err)
		}
		stored = append(stored, hashes...)
	}
	size := int64(len(in.Leaves))

	for _, msg := range in.Checkpoints {
		n, err := note.Open([]byte(msg), note.VerifierList(verifier))
		if err != nil {
			errorf("checkpoint does not open with the log's key: %v", err)
			continue
		}
		out.CheckpointsOpened++
		lines := strings.Split(n.Text, "\n")
		if len(lines) < 4 || lines[0] != verifier.Name() {
			errorf("checkpoint text is not origin, size, root: %q", n.Text)
			continue
		}
		treeSize, err1 := strconv.ParseInt(lines[1], 10, 64)
		root, err2 := tlog.ParseHash(lines[2])
		if err1 != nil || err2 != nil {
			errorf("checkpoint text is malformed: %q", n.Text)
			continue
		}
		if treeSize > size {
			errorf("checkpoint of size %d is larger than the %d leaves given", treeSize, size)
			continue
		}
		goRoot, err := tlog.TreeHash(treeSize, reader)
		if err != nil || goRoot != root {
			errorf("checkpoint of size %d: root %v, tlog computes %v (%v)", treeSize, root, goRoot, err)
			continue
		}
		out.RootsMatched++
	}

	for _, p := range in.Inclusion {
		root, proof := hash(p.RootHash), hashes(p.Proof)
		if err := tlog.CheckRecord(proof, p.TreeSize, root, p.LeafIndex, tlog.RecordHash([]byte(p.LeafData))); err != nil {
			errorf("inclusion of leaf %d in %d: %v", p.LeafIndex, p.TreeSize, err)
			continue
		}
		out.InclusionChecked++
		if goProof, err := tlog.ProveRecord(p.TreeSize, p.LeafIndex, reader); err == nil && same(goProof, proof) {
			out.InclusionSameAsGo++
		}
	}
	for _, p := range in.Consistency {
		proof := hashes(p.Proof)
		if err := tlog.CheckTree(proof, p.Second, hash(p.SecondRoot), p.First, hash(p.FirstRoot)); err != nil {
			errorf("consistency %d -> %d: %v", p.First, p.Second, err)
			continue
		}
		out.ConsistencyChecked++
		if goProof, err := tlog.ProveTree(p.Second, p.First, reader); err == nil && same(goProof, proof) {
			out.ConsistencySameAsGo++
		}
	}

	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
	if len(out.Errors) > 0 {
		os.Exit(1)
	}
}

func hash(b64 string) tlog.Hash {
	var h tlog.Hash
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != tlog.HashSize {
		fail(fmt.Errorf("not a base64 hash: %q", b64))
	}
	copy(h[:], raw)
	return h
}

func hashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		out[i] = hash(s)
	}
	return out
}

func same(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tlog-crosscheck:", err)
	os.Exit(2)
}
