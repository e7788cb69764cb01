// Command yamlcheck reads YAML documents from stdin with the parser kubectl and helm use
// (sigs.k8s.io/yaml, at the version kubectl and helm pin) and prints them as one JSON array, so
// canarykit's tests can require that every file it writes reads back, in Go, as the objects it meant.
// A document the parser refuses is exit 1 with the parser's message on stderr.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

func main() {
	// kubectl's own document splitter (the one `kubectl apply -f` reads files with).
	reader := yaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	docs := []json.RawMessage{}
	for i := 1; ; i++ {
		doc, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(i, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		out, err := sigsyaml.YAMLToJSONStrict(doc)
		if err != nil {
			fail(i, err)
		}
		docs = append(docs, out)
	}
	if err := json.NewEncoder(os.Stdout).Encode(docs); err != nil {
		fail(0, err)
	}
}

func fail(doc int, err error) {
	fmt.Fprintf(os.Stderr, "document %d: %v\n", doc, err)
	os.Exit(1)
}
