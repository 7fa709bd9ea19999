# scaflow developer tasks. `make help` lists them; docs/tooling.md explains them.
#
# Tools are installed inside the repository: Python tools in .venv/ (from requirements.lock), Node tools in
# node_modules/ (from package-lock.json), Maven by ./mvnw (into ~/.m2/wrapper). Each install step runs again only
# when its lock file changes (stamp files), so repeated targets are fast. Every download is checked: pip installs
# with --require-hashes, npm ci checks the lock's integrity hashes and tools/check-node-binary the Node binary,
# Maven runs with --strict-checksums (.mvn/maven.config) and the wrapper checks Maven's own sha256.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
JAVA ?= java
# JDK for `sam build` (empty: the java on PATH). JDK 17 works for Runtime java21; see docs/tooling.md.
SAM_JAVA_HOME ?=
# Extra Maven arguments for sam's `mvn clean install` (Maven 3.9 reads MAVEN_ARGS). `make test` runs the tests
# itself, so sam build skips them; `make check SAM_MAVEN_ARGS=` runs them there too.
SAM_MAVEN_ARGS ?= -DskipTests
AWS_REGION ?= eu-west-3
SANDBOX_PORT ?= 4010
API_PORT ?= 3000
# The headless browser of the sandbox page's test (AppPageBrowserTest; skipped when missing).
CHROMIUM ?= /usr/bin/chromium

VENV := .venv
VENV_STAMP := $(VENV)/.scaflow-installed
NODE_STAMP := node_modules/.scaflow-installed
STAMPS := .scaflow/stamps
MAVEN_STAMP := $(STAMPS)/maven-deps
MVNW := ./mvnw -B
SAM := $(VENV)/bin/sam
NODE := node_modules/.bin/node
NODE_PINS := tools/node-binary.sha256
LOCK_VENV := .scaflow/lock-venv
# Both locks: the sha256 of every file of each pinned version (all platforms), no index or find-links lines (the
# machine's pip configuration is not the project's).
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
  --no-emit-index-url --no-emit-find-links
# pip itself, with its hashes, first into every venv: the one python -m venv brings may be too old for the lock.
PIP_BOOTSTRAP = $(1)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r tools/pip.txt
POMS := pom.xml functions/pom.xml local/pom.xml .mvn/wrapper/maven-wrapper.properties

export SAM_CLI_TELEMETRY := 0

.PHONY: help venv node maven-deps deps lock lock-tools lock-venv build check lint sam-build asl test unit integration e2e iam-check iam-report demo run sandbox bench browser clean distclean
.PHONY: checkov checkov-venv lock-checkov openapi

help:
	@echo "make venv       Python tools (moto, cfn-lint, sam, schemathesis) into $(VENV)/ from requirements.lock"
	@echo "make node       Node tools (aws-local-stepfunctions, asl-validator, Node 22) into node_modules/ (npm ci)"
	@echo "make deps       venv + node + Maven plugins and dependencies (dependency:go-offline)"
	@echo "make lock       re-resolve requirements.txt into requirements.lock, with hashes (UPGRADE=1: newest versions)"
	@echo "make build      ./mvnw install, tests skipped"
	@echo "make check      cfn-lint, sam validate --lint, sam build, checkov, deploy checks (template.yaml); asl-validator"
	@echo "make openapi    openapi/scaflow-api.apigateway.yaml (API Gateway's definition) from openapi/scaflow-api.yaml"
	@echo "make test       venv + node, check, then ./mvnw test (all modules: the three tiers below)"
	@echo "make unit       unit tier: the functions module's tests, in memory (no server, no process, no venv)"
	@echo "make integration  integration tier: moto, the Shine sandbox, the emulator parts, the Shine client's stub server"
	@echo "make e2e        end-to-end tier: the whole local stack, the user paths (make targets)"
	@echo "make iam-check  end-to-end tier with every AWS call recorded, each checked against its role in the template"
	@echo "make demo       one transfer flow on the local stack, status changes printed live (ARGS=\"--user reject\")"
	@echo "make run        the whole local stack until Ctrl-C: API on 127.0.0.1:$(API_PORT)/live, sandbox page on :$(SANDBOX_PORT) (SIGV4=1)"
	@echo "make invoke     one function in its own JVM under Lambda's runtime client, from its sam build output (FUNCTION=... EVENT=events/...)"
	@echo "make sandbox    the Shine sandbox on port $(SANDBOX_PORT) (SANDBOX_PORT=...)"
	@echo "make browser    Debian's chromium (apt-get) for the sandbox page's browser test, when $(CHROMIUM) is missing"
	@echo "make bench      cold starts, warm latency, package sizes, cost per flow, local throughput: a table and target/bench/bench.json (ARGS=\"--cold-runs 7\")"
	@echo "make clean      build outputs; make distclean also removes $(VENV)/ and node_modules/"

# ---------------------------------------------------------------------------------------------------- installs

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements.lock tools/pip.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "$(PYTHON) is Python %d.%d: the Python tools need 3.11 or newer (make PYTHON=python3.11 ...)" % sys.version_info[:2])'
	@[ -x $(VENV)/bin/python ] || { echo "== creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); } $(BUILD_OUTPUT)
	@echo "== pip install --require-hashes -r tools/pip.txt -r requirements.lock (into $(VENV))" $(BUILD_OUTPUT)
	@$(call PIP_BOOTSTRAP,$(VENV))
	@$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@$(VENV)/bin/python -m pip check --disable-pip-version-check >/dev/null
	@touch $@

node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json $(NODE_PINS)
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (18 or newer) with npm" >&2; exit 1; }
	@echo "== npm ci" $(BUILD_OUTPUT)
	@npm ci --no-audit --no-fund --loglevel=error $(BUILD_OUTPUT)
	@tools/check-node-binary $(BUILD_OUTPUT)
	@v=$$($(NODE) --version); case "$$v" in v22.*) ;; *) echo "$(NODE) is $$v, expected v22.x" >&2; exit 1;; esac
	@$(NODE) -e "require('aws-local-stepfunctions')"
	@touch $@

maven-deps: $(MAVEN_STAMP)

$(MAVEN_STAMP): $(POMS)
	@echo "== ./mvnw dependency:go-offline"
	@$(MVNW) -q dependency:go-offline
	@echo "== ./mvnw -pl functions dependency:copy@proguard (ProGuard's jars, which sam build runs; not a dependency)"
	@$(MVNW) -q -pl functions dependency:copy@proguard
	@mkdir -p $(STAMPS) && touch $@

deps: venv node maven-deps

# Resolves requirements.txt into requirements.lock with pip-compile (pip-tools, itself installed from
# tools/lock-tools.txt with its hashes) in a scratch venv: every package pinned with the hashes of its files.
# Versions already in the lock are kept while they fit; UPGRADE=1 takes the newest ones.
lock: lock-venv
	@CUSTOM_COMPILE_COMMAND="make lock" $(PIP_COMPILE) $(if $(UPGRADE),--upgrade) \
	  --output-file requirements.lock requirements.txt
	@rm -rf $(LOCK_VENV)
	@echo "requirements.lock: $$(grep -c -E '^[A-Za-z0-9_.-]+(\[[^]]*\])?==' requirements.lock) pins, $$(grep -c -- '--hash=sha256:' requirements.lock) hashes"

# Re-pins pip-tools (tools/lock-tools.in) and pip (tools/pip.in), with their hashes.
lock-tools: lock-venv
	@CUSTOM_COMPILE_COMMAND="make lock-tools" $(PIP_COMPILE) --upgrade \
	  --output-file tools/lock-tools.txt tools/lock-tools.in
	@CUSTOM_COMPILE_COMMAND="make lock-tools" $(PIP_COMPILE) --upgrade --output-file tools/pip.txt tools/pip.in
	@rm -rf $(LOCK_VENV)

lock-venv:
	@rm -rf $(LOCK_VENV)
	@$(PYTHON) -m venv $(LOCK_VENV)
	@$(call PIP_BOOTSTRAP,$(LOCK_VENV))
	@$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r tools/lock-tools.txt

# ---------------------------------------------------------------------------------------------------- build

build:
	$(MVNW) -q -DskipTests install

# ---------------------------------------------------------------------------------------------------- checks

check: lint sam-build asl checkov

# Each check reruns only when its inputs changed (make dependencies on the files they read).
ifneq ($(wildcard template.yaml),)
lint: $(STAMPS)/lint

$(STAMPS)/lint: template.yaml $(wildcard openapi/*.yaml) tools/template-cycles.py tools/deploy-checks.py $(VENV_STAMP)
	@echo "== cfn-lint template.yaml"
	@$(VENV)/bin/cfn-lint template.yaml
	@echo "== sam validate --lint"
	@$(SAM) validate --lint --region $(AWS_REGION)
	@echo "== tools/template-cycles.py (dependency cycles after the SAM transform, which both linters miss)"
	@$(VENV)/bin/python tools/template-cycles.py template.yaml
	@echo "== tools/deploy-checks.py template.yaml (sam deploy --guided sees the authentication; one stage per API)"
	@AWS_DEFAULT_REGION=$(AWS_REGION) $(VENV)/bin/python tools/deploy-checks.py template.yaml
	@mkdir -p $(STAMPS) && touch $@

# sam build runs functions/Makefile's build-<Function> for each function (Metadata BuildMethod: makefile): one Maven
# build, then each function's own jars. --build-in-source: in functions/ itself, so Maven runs once, not per function.
SAM_BUILD_FLAGS ?= --build-in-source
# Its `mvn` is tools/sam-path/mvn (the Maven wrapper). It reruns when template.yaml or functions/ sources change
# (sam's own --cached is useless here: it hashes functions/target too, which every Maven build changes).
FUNCTION_INPUTS := functions/pom.xml functions/Makefile functions/service-jars.pro $(shell find functions/src 2>/dev/null)
sam-build: .aws-sam/build/template.yaml

.aws-sam/build/template.yaml: template.yaml $(wildcard openapi/*.yaml) $(FUNCTION_INPUTS) $(VENV_STAMP)
	@{ if [ -n "$(SAM_JAVA_HOME)" ]; then export JAVA_HOME="$(SAM_JAVA_HOME)" PATH="$(SAM_JAVA_HOME)/bin:$$PATH"; fi; \
	  echo "== sam build ($$(java -version 2>&1 | head -1); MAVEN_ARGS=$(SAM_MAVEN_ARGS))"; \
	  PATH="$(CURDIR)/tools/sam-path:$$PATH" MAVEN_ARGS="$(SAM_MAVEN_ARGS)" $(SAM) build $(SAM_BUILD_FLAGS); \
	  echo "== tools/deploy-checks.py .aws-sam/build/template.yaml (what sam deploy --guided reads)"; \
	  AWS_DEFAULT_REGION=$(AWS_REGION) $(VENV)/bin/python tools/deploy-checks.py .aws-sam/build/template.yaml; \
	} $(BUILD_OUTPUT)
	@touch $@
else
lint sam-build:
	@echo "check: no template.yaml: skipping $(if $(filter lint,$@),cfn-lint and sam validate,sam build)"
endif

# checkov (security and compliance policies) on template.yaml, in a venv of its own: checkov pins boto3 exactly and
# so does aws-sam-cli, another version (tools/checkov.in). Every skip is justified where it applies: in the
# resource's Metadata (checkov: skip:), or, for a rule set aside for every resource of a kind, in .checkov.yaml.
CHECKOV_VENV := .scaflow/checkov-venv
CHECKOV_STAMP := $(CHECKOV_VENV)/.scaflow-installed

checkov-venv: $(CHECKOV_STAMP)

$(CHECKOV_STAMP): tools/checkov.txt tools/pip.txt
	@echo "== pip install --require-hashes -r tools/checkov.txt (into $(CHECKOV_VENV))"
	@[ -x $(CHECKOV_VENV)/bin/python ] || $(PYTHON) -m venv $(CHECKOV_VENV)
	@$(call PIP_BOOTSTRAP,$(CHECKOV_VENV))
	@$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r tools/checkov.txt
	@touch $@

checkov: $(STAMPS)/checkov

$(STAMPS)/checkov: template.yaml .checkov.yaml $(CHECKOV_STAMP)
	@echo "== checkov -f template.yaml (skips: .checkov.yaml and the resources' Metadata)"
	@$(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml -f template.yaml
	@mkdir -p $(STAMPS) && touch $@

# Re-pins checkov and its dependencies, with their hashes, into tools/checkov.txt (UPGRADE=1: newest versions).
lock-checkov: lock-venv
	@CUSTOM_COMPILE_COMMAND="make lock-checkov" $(PIP_COMPILE) $(if $(UPGRADE),--upgrade) \
	  --output-file tools/checkov.txt tools/checkov.in
	@rm -rf $(LOCK_VENV)

# API Gateway's definition of the API (template.yaml includes it) from the document for clients, without the
# keywords API Gateway's importer does not support; ApiGatewayDefinitionTest fails when it is out of date.
openapi: $(VENV_STAMP)
	@$(VENV)/bin/python tools/openapi-for-apigateway.py openapi/scaflow-api.yaml openapi/scaflow-api.apigateway.yaml

asl: node
	@shopt -s nullglob; files=(statemachine/*.asl.json); \
	if [ $${#files[@]} -gt 0 ]; then \
	  for f in "$${files[@]}"; do \
	    echo "== asl-validator --json-path $$f"; \
	    PATH="$(CURDIR)/node_modules/.bin:$$PATH" asl-validator --json-path "$$f"; \
	  done; \
	else echo "check: no statemachine/*.asl.json: skipping asl-validator"; fi

# ---------------------------------------------------------------------------------------------------- tests

test: venv node browser
	@$(MAKE) check
	@rm -f $(AWS_CALLS)
	$(MVNW) test
	$(IAM_REPORT)

# The three test tiers (docs/tooling.md, "Test tiers"); `make test` runs all three.
# Unit: the functions module's tests but those tagged @Tag("integration"); in memory, nothing to install.
unit:
	$(MVNW) -pl functions test -DexcludedGroups=integration

# Integration: the functions tests tagged integration, then local's tests outside the end-to-end ones.
INTEGRATION_TESTS := io/scaflow/local/**/*Test, !io/scaflow/local/e2e/**, !io/scaflow/local/userpath/**, !io/scaflow/local/stack/LocalStackApiTest
# End to end: the whole local stack (LocalStack) and the user paths (which run make targets).
E2E_TESTS := io/scaflow/local/e2e/**/*Test, io/scaflow/local/userpath/**/*Test, io/scaflow/local/stack/LocalStackApiTest

integration: venv node browser sam-build
	$(MVNW) -pl functions test -Dgroups=integration
	$(MVNW) -pl local -am test -Dtest='$(INTEGRATION_TESTS)' -Dsurefire.failIfNoSpecifiedTests=false

e2e: venv node sam-build
	$(MVNW) -pl local -am test -Dtest='$(E2E_TESTS)' -Dsurefire.failIfNoSpecifiedTests=false

# Roles proven (docs/local-stack.md, "Roles proven"): the local module's tests record every AWS call of the hosted
# functions in $(AWS_CALLS); tools/iam-check.py evaluates each against its function's role in the SAM-translated
# template and fails on a denied one (unused grants are listed). `make test` checks what its own run recorded;
# `make iam-check` runs the end-to-end tier, then the check.
AWS_CALLS := local/target/aws-calls.jsonl
IAM_REPORT = $(VENV)/bin/python tools/iam-check.py --calls $(AWS_CALLS) --template template.yaml

iam-check: venv node sam-build
	@rm -f $(AWS_CALLS)
	@status=0; $(MVNW) -pl local -am test -Dtest='$(E2E_TESTS)' -Dsurefire.failIfNoSpecifiedTests=false || status=$$?; \
	  $(IAM_REPORT) && exit $$status

iam-report: venv
	$(IAM_REPORT)

# Installs Debian's chromium when $(CHROMIUM) is missing (apt-get, as root or through sudo).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "== apt-get install chromium (for the sandbox page's browser test)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }; \
	fi

# ---------------------------------------------------------------------------------------------------- local stack

# The sandbox runs in a plain JVM (its own process, Ctrl-C stops it, no Maven JVM around it) on local's runtime
# classpath. One Maven run compiles functions and local and writes that classpath (functions/target/classes plus
# jars in ~/.m2); make skips it entirely while no source or pom changed, so a warm start is the JVM's alone.
SANDBOX_CP := local/target/runtime-classpath.txt
SANDBOX_INPUTS := $(POMS) $(shell find functions/src/main local/src/main 2>/dev/null) \
  $(if $(and $(wildcard functions/target/classes),$(wildcard local/target/classes)),,FORCE)

$(SANDBOX_CP): $(SANDBOX_INPUTS)
	@echo "== ./mvnw -q -pl local -am -DskipTests compile dependency:build-classpath (writes $@)" $(BUILD_OUTPUT)
	@$(MVNW) -q -pl local -am -DskipTests compile dependency:build-classpath \
	  -DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt $(BUILD_OUTPUT)
	@touch $@

# The whole flow on the local stack: moto, the sandbox, the handlers and the real state machine.
# make demo ARGS="--user reject"; SHINE_API_BASE_URL/SHINE_CLIENT_ID/SHINE_CLIENT_SECRET for another Shine API.
# These recipes are not echoed (@): ARGS may hold an access token.
demo: venv node $(SANDBOX_CP)
	@$(JAVA) -cp "local/target/classes:$$(cat $(SANDBOX_CP))" io.scaflow.local.stack.DemoMain $(ARGS)

# The whole local stack in the foreground until Ctrl-C: the API on 127.0.0.1:$(API_PORT), the sandbox and its
# page (the user's app: Confirm / Reject) on 127.0.0.1:$(SANDBOX_PORT). Same SHINE_* variables as demo.
# SIGV4=1: the API checks SigV4 signatures (the local credentials), as API Gateway does for IAM authorization.
run: venv node $(SANDBOX_CP)
	@exec $(JAVA) -cp "local/target/classes:$$(cat $(SANDBOX_CP))" io.scaflow.local.stack.RunMain \
	  --api-port $(API_PORT) --sandbox-port $(SANDBOX_PORT) $(if $(SIGV4),--sigv4) $(ARGS)

sandbox: $(SANDBOX_CP)
	@exec $(JAVA) -cp "local/target/classes:$$(cat $(SANDBOX_CP))" io.scaflow.local.sandbox.SandboxMain --port $(SANDBOX_PORT)

# One function invoked as `sam local invoke -e` does, without Docker: the local stack (moto, the sandbox, Step
# Functions) with the local Lambda service in its runtime-client mode, the function in a JVM of its own from its
# sam build output under Lambda's runtime interface client; the state the event assumes seeded (ARGS=--no-seed: not).
# The result (or the error as Lambda reports it) on stdout, logs on stderr; exit 0, or 1 on a function error.
# The usage is checked before anything is built; what the builds print goes to stderr (BUILD_OUTPUT, inherited by
# the prerequisites), so that stdout holds the result alone, even on a first run.
.PHONY: invoke invoke-usage
invoke: BUILD_OUTPUT := >&2
invoke: invoke-usage venv node sam-build $(SANDBOX_CP)
	@$(JAVA) -cp "local/target/classes:$$(cat $(SANDBOX_CP))" io.scaflow.local.stack.InvokeMain \
	  --function "$(FUNCTION)" --event "$(EVENT)" $(ARGS)

invoke-usage:
	@if [ -z "$(FUNCTION)" ] || [ -z "$(EVENT)" ]; then \
	  echo "usage: make invoke FUNCTION=<function logical id> EVENT=events/<file>.json [ARGS=--no-seed]" >&2; exit 2; fi

# LAMBDA=runtime: make run and make demo run each function as make invoke does (docs/local-stack.md, "Two modes").
ifeq ($(LAMBDA),runtime)
run demo: sam-build
endif

# Benchmarks (README, Performance): needs the sam build output (cold starts run on it) and the local stack.
bench: venv node sam-build $(SANDBOX_CP)
	$(JAVA) -cp "local/target/classes:$$(cat $(SANDBOX_CP))" io.scaflow.local.bench.BenchMain $(ARGS)

.PHONY: FORCE
FORCE:

# ---------------------------------------------------------------------------------------------------- cleaning

clean:
	rm -rf target functions/target local/target .aws-sam $(STAMPS)

distclean: clean
	rm -rf $(VENV) node_modules $(CHECKOV_VENV)
