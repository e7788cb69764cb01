// Command pulumi-resource-kubernetes: the Pulumi Kubernetes provider, built by
// scripts/tools/pulumi-kubernetes.sh. Upstream's main package embeds
// schema-embed.json and terraform-mapping-embed.json, which its `go generate`
// writes and the module zip lacks; this copy of that main embeds the same two
// files, which the build script derives from the zip's schema.json (with the
// version set) and terraform-mapping.json next to a copy of this file.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
