//go:build tools

// Package tools records the main package scripts/tools/pulumi.sh builds, so
// that `go mod tidy` keeps its dependencies in go.sum.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
