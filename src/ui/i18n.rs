//! Every string the interface shows, in English and Korean. kubectl output and Kubernetes
//! vocabulary (`StatefulSet`, `Running`, `partition`, field names) stay English on purpose: they
//! are what students will type and see on a real cluster.
//!
//! Strings with parameters use `{name}` placeholders filled by [`fill`].

/// The interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    /// The `lang` attribute of the document.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.get(..2)? {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Ko,
            Lang::Ko => Lang::En,
        }
    }
}

macro_rules! texts {
    ($($key:ident => $en:literal, $ko:literal;)*) => {
        /// A string of the interface; [`T::get`] gives it in a language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum T { $($key,)* }

        impl T {
            /// Every string, so a test can check that none is missing or empty.
            pub const ALL: &'static [T] = &[$(T::$key,)*];

            pub fn get(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => match self { $(T::$key => $en,)* },
                    Lang::Ko => match self { $(T::$key => $ko,)* },
                }
            }
        }
    };
}

texts! {
    // ---- header ----
    AppTitle => "StatefulSet Lab", "StatefulSet Lab";
    Tagline => "Paste a headless Service and a StatefulSet, apply, and watch a simulated cluster.",
               "헤드리스 서비스와 StatefulSet을 붙여 넣고 적용한 뒤, 시뮬레이션 클러스터를 지켜보세요.";
    LanguageSwitch => "한국어", "English";
    LanguageSwitchLabel => "Switch the interface to Korean", "인터페이스를 영어로 전환";
    Share => "Share", "공유";
    ShareTitle => "Make a link that reproduces this session: YAML, actions and seed",
                  "이 세션(YAML, 실행한 동작, 시드)을 그대로 재현하는 링크 만들기";
    ShareReady => "Link ready: copy it to share this exact session.", "링크가 준비되었습니다. 복사해서 이 세션을 그대로 공유하세요.";
    ShareTooLong => "This session is too large for a link ({size} KB, the limit is {limit} KB).",
                    "세션이 너무 커서 링크로 만들 수 없습니다 ({size} KB, 한도 {limit} KB).";
    ShareClose => "Close", "닫기";
    ShareLoaded => "Opened the shared session from the link.", "링크로 공유된 세션을 열었습니다.";
    ShareBroken => "The link's session could not be read; your saved work was opened instead.",
                   "링크의 세션을 읽을 수 없어 저장된 작업을 대신 열었습니다.";
    Restored => "Your previous work was restored.", "이전 작업을 복원했습니다.";
    DayLimit => "The clock stopped: a session lasts at most a day of virtual time. Drag the timeline back to go on from an earlier moment, or start a new session.",
                "시계가 멈췄습니다. 한 세션은 가상 시간으로 최대 하루까지입니다. 타임라인을 뒤로 끌어 이전 시점부터 계속하거나 새 세션을 시작하세요.";
    NewSession => "New session", "새 세션";
    NewSessionTitle => "Start over with an empty cluster (the editor text stays)",
                       "빈 클러스터로 다시 시작합니다 (편집기 내용은 유지)";
    CompareMode => "Compare with a Deployment", "Deployment와 비교";
    CompareModeOff => "Back to the cluster", "클러스터 보기로";
    SkipToCluster => "Skip to the cluster view", "클러스터 보기로 건너뛰기";

    // ---- editor ----
    Manifest => "Manifest", "매니페스트";
    ManifestHelp => "YAML editor. Ctrl+Enter applies it.", "YAML 편집기. Ctrl+Enter로 적용합니다.";
    Apply => "Apply", "적용";
    ApplyTitle => "kubectl apply -f - (Ctrl+Enter)", "kubectl apply -f - (Ctrl+Enter)";
    Examples => "Examples", "예제";
    ExamplePick => "Load an example…", "예제 불러오기…";
    UndoExample => "Bring back my text", "내 텍스트 되돌리기";
    NoObjects => "No objects yet.", "아직 객체가 없습니다.";
    ObjectsInEditor => "Objects in the editor", "편집기 안의 객체";
    NotSimulated => "not simulated", "시뮬레이션 안 함";
    NotSimulatedTitle => "Accepted, but the simulator does not model this kind",
                         "받아들이지만 이 종류는 시뮬레이션하지 않습니다";
    LineColumn => "line {line}, column {column}", "{line}행 {column}열";
    Error => "Error", "오류";
    Warning => "Warning", "경고";
    Hint => "Hint", "힌트";
    GoToLine => "Go to line {line}", "{line}행으로 이동";
    FixBeforeApply => "Fix the errors before applying.", "적용하기 전에 오류를 고치세요.";
    ProblemsCount => "{n} problem(s)", "문제 {n}개";

    // ---- time ----
    Time => "Time", "시간";
    Play => "Play", "재생";
    Pause => "Pause", "일시 정지";
    Speed => "Speed", "속도";
    StepNext => "Next action", "다음 동작";
    StepNextTitle => "Jump to the controller's next action", "컨트롤러의 다음 동작으로 이동";
    Timeline => "Timeline", "타임라인";
    TimelineHelp => "Drag to rewind to any past moment", "끌어서 지난 순간으로 되감기";
    Rewound => "Viewing the past. Play to replay; acting here discards what came after.",
               "과거를 보는 중입니다. 재생하면 다시 진행되고, 여기서 동작하면 이후 기록은 버려집니다.";
    BackToLive => "Back to the latest", "최신으로";
    Quiet => "quiet", "조용함";
    Busy => "controllers working", "컨트롤러 작업 중";

    // ---- cluster ----
    Cluster => "Cluster", "클러스터";
    NothingApplied => "Nothing applied yet. Press Apply (or Ctrl+Enter) to send the manifest to the cluster.",
                      "아직 적용한 것이 없습니다. 적용(또는 Ctrl+Enter)을 눌러 매니페스트를 클러스터에 보내세요.";
    StatefulSet => "StatefulSet", "StatefulSet";
    Deployment => "Deployment", "Deployment";
    Deleted => "deleted", "삭제됨";
    DeletedSetNote => "The StatefulSet is gone; what it left behind is shown.",
                      "StatefulSet은 사라졌고, 남은 것들을 보여 줍니다.";
    Ordinal => "ordinal {n}", "순번 {n}";
    Slot => "Slot {n}", "슬롯 {n}";
    NoPod => "no pod", "파드 없음";
    BeyondReplicas => "beyond replicas", "replicas 밖";
    Ready => "Ready", "준비";
    NotReady => "not Ready", "준비 안 됨";
    Restarts => "restarts", "재시작";
    Revision => "revision", "리비전";
    Updated => "updated", "업데이트됨";
    OldRevision => "old revision", "이전 리비전";
    Image => "image", "이미지";
    Ip => "IP", "IP";
    Node => "node", "노드";
    NoIp => "no IP yet", "아직 IP 없음";
    Unscheduled => "not scheduled", "스케줄 전";
    Claim => "claim", "클레임";
    Volume => "volume", "볼륨";
    ClaimBound => "Bound", "Bound";
    ClaimAttached => "in use", "사용 중";
    ClaimOrphaned => "orphaned: kept, no pod", "고아: 보존됨, 파드 없음";
    ClaimReattached => "re-attached", "다시 연결됨";
    ClaimReattachedTitle => "This claim is older than its pod: the pod got the same storage back",
                            "이 클레임은 파드보다 먼저 있었습니다: 파드가 같은 저장소를 다시 받았습니다";
    NoVolumeYet => "no volume yet", "아직 볼륨 없음";
    Service => "Service", "서비스";
    Headless => "headless", "헤드리스";
    DnsRecords => "DNS records", "DNS 레코드";
    DnsEmpty => "No records: no pod is Ready yet (NXDOMAIN).", "레코드 없음: 아직 Ready인 파드가 없습니다 (NXDOMAIN).";
    DnsNotReady => "not in DNS: not Ready", "DNS에 없음: Ready 아님";
    Nodes => "Nodes", "노드";
    NodeReady => "Ready", "Ready";
    NodeNotReady => "NotReady", "NotReady";
    Cordoned => "cordoned", "스케줄 금지";
    PodsOnNode => "{n} pod(s)", "파드 {n}개";
    Orphans => "Left behind", "남겨진 객체";
    Replicas => "replicas", "replicas";
    Strategy => "update strategy", "업데이트 전략";
    Policy => "pod management", "파드 관리 정책";
    Retention => "claim retention", "클레임 보존 정책";
    WhenDeleted => "when deleted", "삭제 시";
    WhenScaled => "when scaled down", "축소 시";
    Partition => "partition", "partition";

    // ---- actions ----
    Actions => "Actions", "동작";
    ScaleDown => "Scale down", "축소";
    ScaleUp => "Scale up", "확장";
    SetReplicas => "Set replicas", "replicas 설정";
    ChangeImage => "Change image", "이미지 변경";
    RollingUpdate => "Rolling update", "롤링 업데이트";
    SetPartition => "Set partition", "partition 설정";
    DeletePod => "Delete", "삭제";
    DeletePodTitle => "kubectl delete pod {name}", "kubectl delete pod {name}";
    CrashPod => "Crash", "크래시";
    CrashPodTitle => "Make the container exit with an error", "컨테이너가 오류로 종료되게 합니다";
    NodeDown => "Take down", "중단";
    NodeUp => "Bring up", "복구";
    DeleteSet => "Delete StatefulSet", "StatefulSet 삭제";
    DeleteBackground => "Delete (pods too)", "삭제 (파드도 함께)";
    DeleteOrphan => "Delete, keep pods (orphan)", "삭제, 파드는 남김 (orphan)";
    ScaleToZeroThenDelete => "Scale to 0, then delete", "0으로 축소한 뒤 삭제";
    ScaleToZeroThenDeleteTitle => "The lecture's advice: pods stop in order, highest ordinal first, before the set goes",
                                  "강의의 권장 방법: 세트를 지우기 전에 가장 큰 순번부터 차례로 파드를 멈춥니다";
    ScaleToZeroWaiting => "Waiting for the pods to stop before deleting {name}…", "{name}을(를) 삭제하기 전에 파드가 멈추기를 기다리는 중…";
    DeleteClaim => "Delete claim", "클레임 삭제";
    Apply2 => "Apply", "적용";
    Set => "Set", "설정";
    DangerZone => "Delete", "삭제";
    MoreActions => "More…", "더 보기…";
    HideEditor => "Hide", "숨기기";
    HideEditorLabel => "Hide the editor to give the cluster the whole width", "편집기를 숨기고 클러스터를 넓게 보기";
    ShowEditor => "Show editor", "편집기 보기";
    ConsoleKeys => "Enter runs · Tab completes · ↑↓ history · Ctrl+C abandons · help", "Enter 실행 · Tab 자동 완성 · ↑↓ 기록 · Ctrl+C 취소 · help";
    PolicySwitchNote => "podManagementPolicy cannot be changed in place: this deletes the set with --cascade=orphan and applies it again; the pods are adopted back.",
                        "podManagementPolicy는 그 자리에서 바꿀 수 없습니다. --cascade=orphan으로 세트를 지우고 다시 적용하며, 파드는 다시 입양됩니다.";

    // ---- why ----
    Why => "Why?", "왜?";
    WhyEmpty => "The controller has not decided anything yet.", "컨트롤러가 아직 아무것도 결정하지 않았습니다.";
    WhyEarlier => "Earlier decisions", "이전 결정";

    // ---- panels ----
    Console => "Console", "콘솔";
    Events => "Events", "이벤트";
    Status => "Status", "상태";
    ConsoleInput => "kubectl command", "kubectl 명령";
    ConsoleHelp => "Type a kubectl command and press Enter. Tab completes, ↑/↓ recall history, Ctrl+C stops a watch, `clear` empties the screen, `help` lists what works.",
                   "kubectl 명령을 입력하고 Enter를 누르세요. Tab은 자동 완성, ↑/↓는 이전 명령, Ctrl+C는 watch 중지, `clear`는 화면 지우기, `help`는 사용법입니다.";
    ConsoleWatching => "Watching… Ctrl+C stops.", "watch 중… Ctrl+C로 중지합니다.";
    ConsoleWatchGoesOn => "… still watching:", "… 계속 watch 중:";
    NoEvents => "No events yet.", "아직 이벤트가 없습니다.";
    EventType => "TYPE", "TYPE";
    EventReason => "REASON", "REASON";
    EventObject => "OBJECT", "OBJECT";
    EventMessage => "MESSAGE", "MESSAGE";
    EventTime => "TIME", "TIME";
    StatusEmpty => "No StatefulSet.", "StatefulSet이 없습니다.";
    CurrentRevision => "current revision", "현재 리비전";
    UpdateRevision => "update revision", "업데이트 리비전";
    ObservedGeneration => "observed generation", "관찰된 세대";
    ReadyReplicas => "ready", "준비됨";
    CurrentReplicas => "current", "현재";
    UpdatedReplicas => "updated", "업데이트됨";
    AvailableReplicas => "available", "사용 가능";
    DesiredReplicas => "desired", "원하는 수";
    TotalReplicas => "total", "전체";
    RolloutDone => "Rollout complete: every pod runs the update revision.", "롤아웃 완료: 모든 파드가 업데이트 리비전으로 실행 중입니다.";
    RolloutPartitioned => "Partitioned: ordinals below {p} stay on the current revision.", "파티션 적용: {p}보다 작은 순번은 현재 리비전에 머뭅니다.";
    RolloutInProgress => "Rolling update in progress: {u} of {n} updated.", "롤링 업데이트 진행 중: {n}개 중 {u}개 업데이트됨.";

    // ---- compare ----
    CompareTitle => "One pod template, two controllers", "하나의 파드 템플릿, 두 컨트롤러";
    CompareIntro => "The StatefulSet's template also runs as a Deployment named {name}. Compare names, order, storage and DNS.",
                    "StatefulSet의 템플릿을 {name}이라는 Deployment로도 실행합니다. 이름, 순서, 저장소, DNS를 비교해 보세요.";
    CompareStart => "Run the template as a Deployment too", "템플릿을 Deployment로도 실행";
    CompareNeedsSet => "Apply a StatefulSet first; its template is what gets compared.", "먼저 StatefulSet을 적용하세요. 그 템플릿으로 비교합니다.";
    CompareNames => "Pod names", "파드 이름";
    CompareOrder => "Start order", "시작 순서";
    CompareStorage => "Storage", "저장소";
    CompareDns => "DNS", "DNS";
    CompareStsNames => "Stable: <set>-<ordinal>, the same after a restart.", "안정적: <세트>-<순번>, 재시작해도 같습니다.";
    CompareDeployNames => "Random suffix; a replacement gets a new name.", "무작위 접미사. 교체된 파드는 새 이름을 받습니다.";
    CompareStsOrder => "One at a time, 0, 1, 2… (OrderedReady).", "하나씩 차례로 0, 1, 2… (OrderedReady).";
    CompareDeployOrder => "All at once.", "한꺼번에.";
    CompareStsStorage => "A claim per pod from volumeClaimTemplates; it outlives the pod.", "volumeClaimTemplates로 파드마다 클레임이 생기고, 파드보다 오래 남습니다.";
    CompareDeployStorage => "Shared template volumes only (here emptyDir: gone with the pod).", "템플릿 볼륨만 공유합니다 (여기서는 emptyDir: 파드와 함께 사라짐).";
    CompareStsDns => "Each pod has its own name: web-0.nginx…", "파드마다 고유한 이름: web-0.nginx…";
    CompareDeployDns => "No per-pod name; only the Service's address.", "파드별 이름 없음. 서비스 주소만 있습니다.";

    // ---- status words (tone explanations for screen readers) ----
    ToneOk => "healthy", "정상";
    ToneProgress => "starting", "시작 중";
    ToneLeaving => "going away", "종료 중";
    ToneBad => "problem", "문제";
    ToneIdle => "idle", "대기";

    // ---- guided labs (src/ui/components/labs.rs) ----
    Labs => "Labs", "실습";
    LabsTitle => "Open the guided labs: the lecture step by step, with checks", "가이드 실습 열기: 강의를 단계별로, 자동 확인과 함께";
    LabsHeading => "Guided labs", "가이드 실습";
    LabsIntro => "One lab per point of the lecture. Opening a lab starts a fresh cluster; the editor text stays.",
                 "강의의 요점마다 실습이 하나씩 있습니다. 실습을 열면 새 클러스터로 시작하며, 편집기 내용은 유지됩니다.";
    LabsClose => "Back to the editor", "편집기로 돌아가기";
    LabDone => "completed", "완료";
    LabInProgress => "in progress", "진행 중";
    LabOpenFile => "Open a lab file…", "실습 파일 열기…";
    LabFileBroken => "This lab could not be opened: {error}", "이 실습을 열 수 없습니다: {error}";
    LabLinkLoaded => "Opened the lab from the link, on a fresh cluster.", "링크의 실습을 새 클러스터에서 열었습니다.";
    LabAllLabs => "All labs", "모든 실습";
    LabGoal => "Goal", "목표";
    LabSteps => "Steps", "단계";
    LabChecks => "Checks", "확인 항목";
    LabChecksSummary => "{n} of {total} checks hold", "확인 항목 {total}개 중 {n}개 통과";
    LabCheckHolds => "holds", "통과";
    LabCheckPending => "not yet", "아직";
    LabHints => "Hints", "힌트";
    LabHint => "Hint {n}", "힌트 {n}";
    LabShowMe => "Show me", "보여 주기";
    LabShowMeTitle => "Play the solution in this cluster, command by command", "이 클러스터에서 풀이를 명령 하나씩 재생합니다";
    LabShowMeStop => "Stop", "멈추기";
    LabShowMePlaying => "Playing the solution: {n} command(s) to go.", "풀이 재생 중: 명령 {n}개 남음.";
    LabShowMeSettling => "Playing the solution: waiting for the cluster to settle.", "풀이 재생 중: 클러스터가 안정되기를 기다리는 중.";
    LabRestart => "Start again", "처음부터";
    LabLeave => "Leave the lab", "실습 나가기";
    LabPrint => "Print handout", "유인물 인쇄";
    LabComplete => "Lab complete: every check holds.", "실습 완료: 모든 확인 항목을 통과했습니다.";
    LabAnnounceHolds => "Check holds: {check}", "확인 통과: {check}";
    LabAnnounceLost => "Check no longer holds: {check}", "확인 항목이 더 이상 성립하지 않음: {check}";
    LabTranscript => "Console transcript", "콘솔 기록";
    LabNotStarted => "The lab's history begins after its setup; rewound before that, its checks wait.",
                     "실습 기록은 준비 단계 이후에 시작됩니다. 그 이전으로 되감으면 확인 항목은 기다립니다.";
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Shorthand: a string in a language with its placeholders filled.
pub fn tf(t: T, lang: Lang, args: &[(&str, &str)]) -> String {
    fill(t.get(lang), args)
}
