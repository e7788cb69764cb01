// Tools module of scripts/tools/yamlcheck.sh: the YAML parser of kubectl v1.34 and helm v3.22
// (sigs.k8s.io/yaml) and kubectl's document splitter (k8s.io/apimachinery), at the versions those pin.
module canarykit.local/tools/yamlcheck

go 1.24.0

require (
	k8s.io/apimachinery v0.34.4
	sigs.k8s.io/yaml v1.6.0
)

require (
	go.yaml.in/yaml/v2 v2.4.2 // indirect
	sigs.k8s.io/json v0.0.0-20241014173422-cfa47c3a1cc8 // indirect
)
