//go:build tools

// Package tools records the main package scripts/tools/argocd.sh builds, so
// that `go mod tidy` keeps its dependencies in go.sum.
package tools

import (
	_ "github.com/argoproj/argo-cd/v3/cmd"
)
