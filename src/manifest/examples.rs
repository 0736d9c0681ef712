//! Example manifests one click away in the editor and available to labs as files by name.

/// An example: the file name labs use with `kubectl apply -f`, its title, and its text.
pub struct Example {
    pub file: &'static str,
    pub title_en: &'static str,
    pub title_ko: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        file: "web.yaml",
        title_en: "Lecture: nginx Service + web StatefulSet",
        title_ko: "강의 예제: nginx 서비스 + web StatefulSet",
        text: include_str!("../../examples/web.yaml"),
    },
    Example {
        file: "web-parallel.yaml",
        title_en: "Parallel pod management",
        title_ko: "Parallel 파드 관리",
        text: include_str!("../../examples/web-parallel.yaml"),
    },
    Example {
        file: "web-canary.yaml",
        title_en: "Partitioned canary (partition: 2)",
        title_ko: "파티션 카나리 (partition: 2)",
        text: include_str!("../../examples/web-canary.yaml"),
    },
    Example {
        file: "web-ondelete.yaml",
        title_en: "OnDelete update strategy",
        title_ko: "OnDelete 업데이트 전략",
        text: include_str!("../../examples/web-ondelete.yaml"),
    },
    Example {
        file: "web-retention-delete.yaml",
        title_en: "Claim retention: Delete",
        title_ko: "클레임 보존 정책: Delete",
        text: include_str!("../../examples/web-retention-delete.yaml"),
    },
    Example {
        file: "db.yaml",
        title_en: "A 3-replica database-like set",
        title_ko: "복제본 3개의 데이터베이스형 세트",
        text: include_str!("../../examples/db.yaml"),
    },
];

/// An example's text by file name.
pub fn file(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|e| e.file == name).map(|e| e.text)
}
