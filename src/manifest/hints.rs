//! How to fix it, in English and Korean: hints for the mistakes students really make when they
//! paste manifests from slides (lost indentation, tabs, typos, YAML 1.1 surprises, shell text).

use super::schema;
use super::Hint;

fn hint(en: impl Into<String>, ko: impl Into<String>) -> Option<Hint> {
    Some(Hint {
        en: en.into(),
        ko: ko.into(),
    })
}

/// Levenshtein distance, bounded work (names are short).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest known name: same letters in another case, or within a small edit distance.
pub fn near_miss<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.eq_ignore_ascii_case(word) {
            return Some(c);
        }
        let d = edit_distance(&word.to_ascii_lowercase(), &c.to_ascii_lowercase());
        let limit = if word.len() <= 4 { 1 } else { 2 };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Places in an object where fields live, to say "`x` belongs under `spec`".
const PLACES: [(&str, &str); 8] = [
    ("", "the top level"),
    ("metadata", "`metadata`"),
    ("spec", "`spec`"),
    ("spec.template.metadata", "`spec.template.metadata`"),
    ("spec.template.spec", "the pod spec (`spec.template.spec`)"),
    (
        "spec.template.spec.containers[0]",
        "a container (an item of `containers:`)",
    ),
    (
        "spec.volumeClaimTemplates[0].spec",
        "a claim template's `spec`",
    ),
    ("spec.ports[0]", "a port (an item of `ports:`)"),
];

const PLACES_KO: [&str; 8] = [
    "최상위",
    "`metadata`",
    "`spec`",
    "`spec.template.metadata`",
    "파드 스펙(`spec.template.spec`)",
    "컨테이너(`containers:` 목록의 항목)",
    "클레임 템플릿의 `spec`",
    "포트(`ports:` 목록의 항목)",
];

/// An unknown field: a near-miss spelling, or a real field that sits at the wrong level.
pub fn unknown_field(api_version: &str, kind: &str, path: &str, column: u32) -> Option<Hint> {
    let parent = super::read::parent_path(path);
    let key = path
        .get(parent.len()..)
        .unwrap_or(path)
        .trim_start_matches('.');
    if let Some(fields) = schema::fields_at(api_version, kind, parent) {
        if let Some(right) = near_miss(key, fields.iter().copied()) {
            if right.eq_ignore_ascii_case(key) {
                return hint(
                    format!("Field names are case-sensitive: write `{right}`, not `{key}`."),
                    format!(
                        "필드 이름은 대소문자를 구분합니다. `{key}` 대신 `{right}`처럼 쓰세요."
                    ),
                );
            }
            return hint(
                format!("Did you mean `{right}`?"),
                format!("`{right}` 필드를 쓰려던 것 아닌가요?"),
            );
        }
    }
    let generic_parent = strip_indices(parent);
    for (i, (place, en)) in PLACES.iter().enumerate() {
        if strip_indices(place) == generic_parent {
            continue;
        }
        let Some(fields) = schema::fields_at(api_version, kind, place) else {
            continue;
        };
        if !fields.contains(&key) {
            continue;
        }
        let ko = PLACES_KO.get(i).copied().unwrap_or(en);
        if parent.is_empty() && *place == "spec" {
            let col = if column == 1 {
                " It starts at column 1, so YAML reads it as a top-level field."
            } else {
                ""
            };
            let col_ko = if column == 1 {
                " 1열에서 시작해서 YAML이 최상위 필드로 읽었습니다."
            } else {
                ""
            };
            return hint(
                format!("`{key}` is a field of {kind} `spec`.{col} Indent it (two spaces) under `spec:`."),
                format!("`{key}` 필드는 {kind}의 `spec` 안에 있어야 합니다.{col_ko} `spec:` 아래로 두 칸 들여 쓰세요."),
            );
        }
        return hint(
            format!("`{key}` is not a field here; it is a field of {en}. Check the indentation of this line."),
            format!("`{key}` 필드는 이 위치가 아니라 {ko}에 속합니다. 이 줄의 들여쓰기를 확인하세요."),
        );
    }
    if key.starts_with('-') && key.len() > 1 {
        return dash_without_space(key);
    }
    None
}

fn strip_indices(p: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in p.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

pub fn dash_without_space(key: &str) -> Option<Hint> {
    let rest = key.trim_start_matches('-');
    hint(
        format!("`-{rest}` has no space after the dash, so YAML reads it as the key \"-{rest}\", not a list item. Write `- {rest}`."),
        format!("`-{rest}`처럼 대시 뒤에 공백이 없으면 YAML은 목록 항목이 아니라 \"-{rest}\" 키로 읽습니다. `- {rest}`처럼 대시 뒤에 한 칸을 띄우세요."),
    )
}

/// A wrong type: say what YAML made of the text and how to write what was meant.
pub fn wrong_type(
    message: &str,
    source: Option<&str>,
    plain: bool,
    yaml11: Option<&serde_json::Value>,
) -> Option<Hint> {
    let expects_string = message.ends_with("of type string")
        || message.contains("of type v1.") && message.contains("unmarshal bool");
    let text = source.unwrap_or("");
    if let Some(v) = yaml11 {
        if v.is_boolean() {
            return hint(
                format!("Unquoted `{text}` is the boolean {v} in YAML 1.1, which kubectl uses. Quote it: \"{text}\"."),
                format!("따옴표 없는 `{text}` 값은 kubectl이 쓰는 YAML 1.1에서 불리언 값 {v}입니다. \"{text}\"처럼 따옴표로 감싸세요."),
            );
        }
        if v.is_number() {
            return hint(
                format!("Unquoted `{text}` starts with 0, so YAML 1.1 reads it as the octal number {v}. Quote it if you meant text: \"{text}\"."),
                format!("따옴표 없는 `{text}` 값은 0으로 시작해서 YAML 1.1에서 8진수로 읽혀 10진수 {v} 값이 됩니다. 문자열을 뜻했다면 \"{text}\"처럼 따옴표로 감싸세요."),
            );
        }
    }
    if message.contains("cannot unmarshal object into") && message.contains("of type []") {
        return hint(
            "This field is a list: start each item with `- ` (a dash and a space).",
            "이 필드는 목록입니다. 각 항목을 `- `(대시와 공백)로 시작하세요.",
        );
    }
    if message.contains("cannot unmarshal array into") {
        return hint(
            "This field is a single object, not a list: remove the `- ` in front of it.",
            "이 필드는 목록이 아니라 하나의 객체입니다. 앞의 `- `를 지우세요.",
        );
    }
    if message.contains("cannot unmarshal string into")
        && (message.ends_with("int32") || message.ends_with("int64"))
    {
        return hint(
            format!(
                "This field is a number: remove the quotes (`{}`).",
                text.trim_matches(|c| c == '"' || c == '\'')
            ),
            format!(
                "이 필드는 숫자입니다. 따옴표를 지우세요 (`{}`).",
                text.trim_matches(|c| c == '"' || c == '\'')
            ),
        );
    }
    if plain
        && (message.contains("unmarshal number") || message.contains("unmarshal bool"))
        && expects_string
    {
        return hint(
            format!("This field is text, but YAML read `{text}` as a number or boolean. Quote it: \"{text}\"."),
            format!("이 필드는 문자열인데 YAML이 `{text}` 값을 숫자나 불리언으로 읽었습니다. \"{text}\"처럼 따옴표로 감싸세요."),
        );
    }
    if message.contains("cannot unmarshal string into")
        && text.contains(':')
        && !text.contains(": ")
    {
        return no_space_after_colon(text);
    }
    None
}

pub fn no_space_after_colon(text: &str) -> Option<Hint> {
    let fixed = text.replacen(':', ": ", 1);
    hint(
        format!("`{text}` has no space after the colon, so YAML reads the whole thing as one text value. Write `{fixed}`."),
        format!("`{text}`처럼 콜론 뒤에 공백이 없으면 YAML은 전체를 하나의 문자열로 읽습니다. `{fixed}`처럼 콜론 뒤에 한 칸을 띄우세요."),
    )
}

pub fn quantity(text: &str) -> Option<Hint> {
    let s = super::quantity::suggestions(text);
    let options = match s.as_slice() {
        [] => return hint(
            "Quantities look like `1Gi` (binary: Ki, Mi, Gi, Ti) or `1G` (decimal: k, M, G, T), with no space and no `B`.",
            "수량은 `1Gi`(2진: Ki, Mi, Gi, Ti)나 `1G`(10진: k, M, G, T)처럼 씁니다. 공백과 `B`는 붙이지 않습니다.",
        ),
        [one] => format!("`{one}`"),
        [a, b, ..] => format!("`{a}` or `{b}`"),
    };
    let options_ko = options.replace(" or ", " 또는 ");
    hint(
        format!("`{text}` is not a Kubernetes quantity. Write {options}: `Gi` means 2^30 bytes, `G` means 10^9 bytes; there is no `B`, and decimal kilo is a lowercase `k`."),
        format!("`{text}` 값은 쿠버네티스 수량 형식이 아닙니다. {options_ko} 형식으로 쓰세요. `Gi`는 2^30바이트, `G`는 10^9바이트이고, `B`는 붙이지 않으며 10진 킬로는 소문자 `k`입니다."),
    )
}

/// Hints for a YAML syntax error, from the text around it.
pub fn syntax(text: &str, line: u32, column: u32) -> Option<Hint> {
    let lines: Vec<&str> = text.lines().collect();
    let idx = (line as usize).saturating_sub(1);
    let here = lines.get(idx).copied().unwrap_or("");
    let window = idx.saturating_sub(2)..=idx.min(lines.len().saturating_sub(1));
    // A tab in the indentation: YAML forbids it.
    if let Some(l) = window
        .clone()
        .chain(0..idx)
        .find(|&i| lines.get(i).is_some_and(|l| leading_tab(l)))
    {
        return hint(
            format!("Line {} is indented with a tab. YAML allows only spaces for indentation; replace the tab with spaces.", l + 1),
            format!("{}번 줄이 탭으로 들여 쓰여 있습니다. YAML 들여쓰기에는 공백만 쓸 수 있으니 탭을 공백으로 바꾸세요.", l + 1),
        );
    }
    if column > 0 && here.chars().nth(column as usize - 1) == Some('\t') {
        return hint(
            "There is a tab here. YAML allows only spaces for indentation.",
            "여기에 탭이 있습니다. YAML 들여쓰기에는 공백만 쓸 수 있습니다.",
        );
    }
    // `replicas:2`: no space after the colon.
    for i in window.clone().rev() {
        let l = lines.get(i).copied().unwrap_or("");
        if let Some(word) = colon_without_space(l) {
            return no_space_after_colon(word);
        }
    }
    // A key that lost its indentation (e.g. `clusterIP: None` at column 1 in the middle of `spec`).
    for i in (0..idx).rev().take(12) {
        let l = lines.get(i).copied().unwrap_or("");
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let at_col0 = !l.starts_with(' ') && !l.starts_with('-') && l.contains(':');
        let next_indented = lines.get(i + 1..=idx).is_some_and(|rest| {
            rest.iter()
                .any(|n| n.starts_with(' ') && !n.trim().is_empty())
        });
        let prev_indented = i > 0 && lines.get(i - 1).is_some_and(|p| p.starts_with(' '));
        if at_col0 && next_indented && prev_indented && !is_top_level_key(l) {
            let shown = l.trim();
            return hint(
                format!("Line {} (`{shown}`) starts at column 1, which ends the block above it, but the lines after it are still indented. It probably lost its indentation when copied: indent it like its neighbours (e.g. two spaces under `spec:`).", i + 1),
                format!("{}번 줄(`{shown}`)이 1열에서 시작해서 위쪽 블록이 끝나 버렸는데, 그 아래 줄들은 여전히 들여 쓰여 있습니다. 복사하면서 들여쓰기가 사라진 것 같습니다. 주변 줄과 같은 깊이로 들여 쓰세요(예: `spec:` 아래 두 칸).", i + 1),
            );
        }
        if !l.starts_with(' ') {
            break;
        }
    }
    if let Some(i) = window
        .clone()
        .rev()
        .find(|&i| lines.get(i).is_some_and(|l| dash_glued(l)))
    {
        let l = lines.get(i).copied().unwrap_or("").trim();
        return dash_without_space(l.split(':').next().unwrap_or(l));
    }
    None
}

fn leading_tab(l: &str) -> bool {
    l.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .any(|c| c == '\t')
}

fn dash_glued(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with('-') && t.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic())
}

const TOP_LEVEL: [&str; 9] = [
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "status",
    "data",
    "binaryData",
    "provisioner",
    "parameters",
];

fn is_top_level_key(l: &str) -> bool {
    let key = l.split(':').next().unwrap_or("").trim();
    TOP_LEVEL.contains(&key)
}

/// `replicas:2` (a key, a colon and a value with no space): returns `replicas:2`.
pub fn colon_without_space(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_end();
    let (key, value) = t.split_once(':')?;
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    {
        return None;
    }
    let first = value.chars().next()?;
    if first == ' ' || first == '/' || value.starts_with(':') || key.starts_with('-') {
        return None;
    }
    Some(t)
}

/// Shell text pasted instead of YAML: the first content line reads like a command.
pub fn looks_like_shell(text: &str) -> Option<(u32, String)> {
    for (i, l) in text.lines().enumerate().take(50) {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') && !t.starts_with("#!") {
            continue;
        }
        let shellish = [
            "$ ",
            "kubectl ",
            "k apply",
            "cat ",
            "cat<<",
            "EOF",
            "sudo ",
            "echo ",
            "vi ",
            "vim ",
            "nano ",
            "helm ",
            "curl ",
            "#!",
            "minikube ",
            "kind create",
        ]
        .iter()
        .any(|p| t.starts_with(p))
            || t.contains("<<EOF")
            || t.contains("<< EOF")
            || t.contains("<<'EOF'");
        if shellish {
            return Some((i as u32 + 1, t.to_string()));
        }
        if i > 0 && t.starts_with("apiVersion") {
            return None;
        }
    }
    None
}

pub fn shell() -> Option<Hint> {
    hint(
        "This looks like a shell command, not a manifest. Paste only the YAML (from `apiVersion:` on); the simulator runs `kubectl apply -f` for you. If you copied a `cat <<EOF ... EOF` block, leave out the first and last lines.",
        "이것은 매니페스트가 아니라 셸 명령처럼 보입니다. YAML 부분(`apiVersion:`부터)만 붙여 넣으세요. `kubectl apply -f`는 시뮬레이터가 대신 실행합니다. `cat <<EOF ... EOF` 블록을 복사했다면 첫 줄과 마지막 줄은 빼세요.",
    )
}

pub fn dump() -> Option<Hint> {
    hint(
        "This looks like `kubectl get -o yaml` output. It still applies: on create kubectl clears `resourceVersion`, and the server ignores `status` and sets `uid`, `creationTimestamp` and `generation` itself. Keep your files clean anyway: delete `status:` and those `metadata` fields (`resourceVersion`, `uid`, `creationTimestamp`, `generation`, `managedFields`).",
        "`kubectl get -o yaml` 출력을 붙여 넣은 것 같습니다. 그래도 적용은 됩니다. 생성할 때 kubectl이 `resourceVersion`을 지우고, 서버는 `status`를 무시하며 `uid`, `creationTimestamp`, `generation`은 직접 정합니다. 그래도 파일은 깔끔하게 두세요. `status:`와 이 `metadata` 필드들(`resourceVersion`, `uid`, `creationTimestamp`, `generation`, `managedFields`)을 지우세요.",
    )
}

pub fn empty() -> Option<Hint> {
    hint(
        "Paste a manifest: a Service and a StatefulSet in YAML, separated by a line with `---`.",
        "매니페스트를 붙여 넣으세요. 예: Service와 StatefulSet을 YAML로 쓰고 `---` 줄로 구분합니다.",
    )
}

pub fn unknown_kind(api_version: &str, kind: &str) -> Option<Hint> {
    let versions = schema::versions_of(kind);
    if let Some(v) = versions.first() {
        return hint(
            format!("{kind} is served as `apiVersion: {v}`, not `{api_version}`."),
            format!("{kind}의 apiVersion은 `{v}`입니다(`{api_version}` 아님)."),
        );
    }
    if let Some(k) = near_miss(kind, schema::kind_names()) {
        let v = schema::versions_of(k).first().copied().unwrap_or("v1");
        return hint(
            format!("Did you mean `kind: {k}` (apiVersion `{v}`)? Kinds are case-sensitive."),
            format!("혹시 `kind: {k}`(apiVersion `{v}`) 아닌가요? kind는 대소문자를 구분합니다."),
        );
    }
    hint(
        format!("The cluster has no kind `{kind}` in `{api_version}`. It may come from a CRD that is not installed; the simulator knows only built-in kinds."),
        format!("이 클러스터에는 `{api_version}`의 `{kind}` 종류가 없습니다. 설치되지 않은 CRD의 종류일 수 있습니다. 시뮬레이터는 기본 제공 종류만 압니다."),
    )
}

/// Hints for validation errors, by field and message.
pub fn invalid(kind: &str, field: &str, body: &str) -> Option<Hint> {
    if field == "spec.template.metadata.labels" && body.contains("does not match") {
        return hint(
            "`spec.selector.matchLabels` must match the labels in `spec.template.metadata.labels` (same keys and values); otherwise the controller would not own the pods it creates.",
            "`spec.selector.matchLabels`는 `spec.template.metadata.labels`의 레이블(키와 값)과 일치해야 합니다. 그렇지 않으면 컨트롤러가 자기가 만든 파드를 소유할 수 없습니다.",
        );
    }
    if field == "spec.selector" && body.starts_with("Required") {
        return hint(
            format!("Since apps/v1 a {kind} needs `spec.selector.matchLabels`, equal to the pod template's labels."),
            format!("apps/v1부터 {kind}에는 파드 템플릿의 레이블과 같은 `spec.selector.matchLabels`가 꼭 있어야 합니다."),
        );
    }
    if field == "metadata.name" && body.contains("lower case") {
        return hint(
            "Names must be lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. `web`, `my-db`).",
            "이름은 소문자, 숫자, '-'만 쓸 수 있고 문자나 숫자로 시작하고 끝나야 합니다(예: `web`, `my-db`).",
        );
    }
    if field == "spec.template.spec.restartPolicy" {
        return hint(
            "StatefulSet pods always restart: remove `restartPolicy` or set it to `Always`.",
            "StatefulSet의 파드는 항상 재시작됩니다. `restartPolicy`를 지우거나 `Always`로 쓰세요.",
        );
    }
    if field == "spec.updateStrategy.rollingUpdate" {
        return hint(
            "With `type: OnDelete` remove the `rollingUpdate` block (in a patch: `\"rollingUpdate\": null`).",
            "`type: OnDelete`에서는 `rollingUpdate` 블록을 지우세요(패치라면 `\"rollingUpdate\": null`).",
        );
    }
    if field == "spec" && body.contains("updates to statefulset spec") {
        return hint(
            "Only replicas, ordinals, template, updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds can change. To change anything else (e.g. volumeClaimTemplates), delete the StatefulSet (`--cascade=orphan` keeps the pods) and create it again.",
            "replicas, ordinals, template, updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy, minReadySeconds만 바꿀 수 있습니다. 그 밖의 필드(예: volumeClaimTemplates)를 바꾸려면 StatefulSet을 지우고(`--cascade=orphan`이면 파드는 남습니다) 다시 만드세요.",
        );
    }
    if body.contains("Not found") && field.contains("volumeMounts") {
        return hint(
            "A volumeMount must name a volume in `volumes:` or a claim template in `volumeClaimTemplates` (its `metadata.name`).",
            "volumeMount의 name은 `volumes:`에 있는 볼륨이나 `volumeClaimTemplates`의 클레임 템플릿 이름(`metadata.name`)이어야 합니다.",
        );
    }
    if field.ends_with("accessModes") && body.contains("Unsupported") {
        return hint(
            "Access modes are `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod` (exact case).",
            "접근 모드는 `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod` 중 하나입니다(대소문자 그대로).",
        );
    }
    if field.ends_with("port") && body.contains("between 1 and 65535")
        || field.ends_with("containerPort")
    {
        return hint(
            "Ports are numbers from 1 to 65535.",
            "포트는 1부터 65535 사이의 숫자입니다.",
        );
    }
    None
}
