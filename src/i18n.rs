//! The message catalogue for user-facing text, one table per language, so that
//! UI strings are not scattered through the code. Text mode uses it now; the
//! game uses the same catalogue.

use crate::playbook::{Severity, Stage};
use crate::scenario::Ending;
use crate::scoring::{Compliance, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The UI language for content in this BCP 47 tag: Chinese for `zh*`.
    pub fn for_content(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn toggled(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "中文" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Every fixed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Customer,
    Patience,
    Interest,
    Difficulty,
    Seed,
    Trainee,
    PromptHint,
    EmptyInput,
    OutOfRange,
    EndOfInput,
    YouSaid,
    ScriptSays,
    KeyPoints,
    Reason,
    BreachOf,
    Scorecard,
    Outcome,
    Compliance,
    Stage,
    Weight,
    Turns,
    Average,
    Score,
    PassMark,
    Passed,
    NotPassed,
    TurnByTurn,
    FatalZeroes,
    Advice,
    CustomerHangsUp,
    BudgetSpent,
    Abandoned,
    // The game's screens.
    AppTitle,
    AppSubtitle,
    ChooseTrainee,
    NewTrainee,
    TypeName,
    NoTrainees,
    Language,
    LanguageName,
    Settings,
    Library,
    BestScore,
    NotPlayed,
    Persona,
    ContentErrors,
    AnswerTime,
    TypeReply,
    TypingHint,
    ContinueHint,
    KeysTitle,
    KeysLibrary,
    KeysDrill,
    KeysScorecard,
    KeysSettings,
    Volume,
    VolumeRing,
    VolumeFeedback,
    VolumeCelebration,
    TextSize,
    Retry,
    BackToLibrary,
    YourReply,
    Typed,
    DrillOver,
    Step,
    Traits,
    NoScenarios,
    Unfinished,
    FullStop,
    MoreBelow,
    ExamRules,
    ExamNoted,
    Practice,
    Exam,
    MasteryTitle,
    DueNow,
    NewItem,
    Required,
    Certified,
    NotCertified,
    CertGranted,
    CertNotYet,
    NextDrill,
    NextDrillWhy,
    WhyDue,
    WhyWeak,
    WhyNew,
    History,
    Replay,
    NoHistory,
    MasteryChanged,
    Threshold,
    ItemsDue,
    KeysMastery,
    KeysHistory,
    KeysReplay,
    ReplayDiffers,
    Chose,
    FocusObjection,
    FocusNone,
    RoundsPlayed,
    TeamsTitle,
    TeamsCount,
    TeamsNeedTrainees,
    Slogan,
    Target,
    TeamStrength,
    Spread,
    BalanceExact,
    BalanceKk,
    BalanceManual,
    BalanceSaved,
    SizesUneven,
    SpreadWideBest,
    SpreadWideManual,
    KeysTeams,
    CompTitle,
    CompSetup,
    Rounds,
    Round,
    NowPlaying,
    ProposedByRotation,
    Points,
    ResumeFound,
    KeysResume,
    KeysCompSetup,
    KeysScoreboard,
    KeysBanner,
    KeysPodium,
}

pub fn msg(lang: Lang, m: Msg) -> &'static str {
    use Msg::*;
    match lang {
        Lang::Zh => match m {
            Customer => "客户",
            Patience => "耐心",
            Interest => "兴趣",
            Difficulty => "难度",
            Seed => "种子",
            Trainee => "学员",
            PromptHint => "输入编号作答，或直接输入你的回答（q 退出）",
            EmptyInput => "没有输入。请输入选项编号，或直接输入你的回答。",
            OutOfRange => "没有这个选项。请输入 1 到",
            EndOfInput => "输入已结束，演练未完成。",
            YouSaid => "你说",
            ScriptSays => "话术",
            KeyPoints => "要点",
            Reason => "原因",
            BreachOf => "违规",
            Scorecard => "成绩单",
            Outcome => "结果",
            Compliance => "合规",
            Stage => "阶段",
            Weight => "权重",
            Turns => "回合",
            Average => "平均",
            Score => "总分",
            PassMark => "及格线",
            Passed => "通过",
            NotPassed => "未通过",
            TurnByTurn => "逐轮回顾",
            FatalZeroes => "出现致命违规，本次演练记 0 分",
            Advice => "建议",
            CustomerHangsUp => "（客户挂断了电话）",
            BudgetSpent => "（通话太久，客户挂断了电话）",
            Abandoned => "演练已放弃。",
            AppTitle => "电销话术演练",
            AppSubtitle => "calldrill · 离线话术训练",
            ChooseTrainee => "选择学员",
            NewTrainee => "＋ 新学员",
            TypeName => "输入学员姓名，按 Enter 确认",
            NoTrainees => "还没有学员，按 N 新建",
            Language => "语言",
            LanguageName => "中文",
            Settings => "设置",
            Library => "场景库",
            BestScore => "最佳",
            NotPlayed => "未练习",
            Persona => "客户",
            ContentErrors => "内容文件有错误（已跳过出错的文件）",
            AnswerTime => "作答时间",
            TypeReply => "输入你的回答",
            TypingHint => "Enter 提交 · Esc 取消 · 支持中文输入法",
            ContinueHint => "按 Enter 继续",
            KeysTitle => {
                "↑↓ 选择 · Enter 确认 · N 新学员 · C 晨会竞赛 · L 语言 · S 设置 · Esc 退出"
            }
            KeysLibrary => {
                "↑↓ 选择 · Enter 开始演练 · N 下一练 · E 考试模式 · M 掌握度 · H 历史记录 · Esc 返回"
            }
            KeysDrill => "1-9 作答 · Tab 打字作答 · Enter 继续 · Esc 返回场景库",
            KeysScorecard => "Enter 返回场景库 · R 再练一次 · N 下一练 · M 掌握度 · Esc 返回",
            KeysSettings => "↑↓ 选择 · ←→ 调整 · Esc 保存并返回",
            Volume => "音量",
            VolumeRing => "来电铃声",
            VolumeFeedback => "答题提示音",
            VolumeCelebration => "成交庆祝",
            TextSize => "文字大小",
            Retry => "再练一次",
            BackToLibrary => "返回场景库",
            YourReply => "你的回答",
            Typed => "打字作答",
            DrillOver => "通话结束",
            Step => "回合",
            Traits => "特点",
            NoScenarios => "没有可用的场景",
            Unfinished => "未完成（不计为通过）",
            FullStop => "。",
            MoreBelow => "↓ 还有更多场景",
            ExamRules => "考试模式：每题只答一次，结束后才显示反馈与评分。",
            ExamNoted => "（已记录）",
            Practice => "练习",
            Exam => "考试",
            MasteryTitle => "掌握度",
            DueNow => "待复习",
            NewItem => "未练习",
            Required => "必考",
            Certified => "已获上岗认证",
            NotCertified => "尚未获得上岗认证",
            CertGranted => "恭喜！获得上岗认证",
            CertNotYet => "本次考试未获认证",
            NextDrill => "下一练",
            NextDrillWhy => "推荐理由",
            WhyDue => "到期复习",
            WhyWeak => "最薄弱",
            WhyNew => "新内容",
            History => "历史记录",
            Replay => "回放",
            NoHistory => "还没有演练记录",
            MasteryChanged => "掌握度变化",
            Threshold => "认证门槛",
            ItemsDue => "待复习项目",
            KeysMastery => "Enter 开始下一练 · E 考试 · H 历史记录 · Esc 返回",
            KeysHistory => "↑↓ 选择 · Enter 回放 · Esc 返回",
            KeysReplay => "←→ 上一步/下一步 · Home 开头 · Esc 返回",
            ReplayDiffers => "内容已修改，回放与记录不一致：以下显示记录原文",
            Chose => "所选",
            FocusObjection => "重点异议（F 切换）",
            FocusNone => "不限",
            RoundsPlayed => "轮",
            TeamsTitle => "晨会竞赛 · 分组",
            TeamsCount => "个小组",
            TeamsNeedTrainees => "请先在首页添加学员（每组至少一人）",
            Slogan => "口号",
            Target => "目标",
            TeamStrength => "小组实力",
            Spread => "实力差",
            BalanceExact => "精确分组（穷举最优）",
            BalanceKk => "差分法分组（Karmarkar–Karp）",
            BalanceManual => "已手动调整",
            BalanceSaved => "已保存的分组",
            SizesUneven => "各组人数相差超过 1 人",
            SpreadWideBest => "成员实力悬殊，这已是最好的分法",
            SpreadWideManual => "各组实力相差较大，按 2-6 可重新均衡",
            KeysTeams => {
                "↑↓ 选择学员 · ←→ 换到上一组/下一组 · 2-6 重新分成几组 · Enter 保存并开始 · Esc 返回"
            }
            CompTitle => "晨会竞赛",
            CompSetup => "选择今天的客户（场景）和轮数",
            Rounds => "轮数",
            Round => "轮次",
            NowPlaying => "现在上场：",
            ProposedByRotation => "按轮换推荐（最久没上场的人）；←→ 可更换代表",
            Points => "分",
            ResumeFound => "发现一场未完成的竞赛：已记录的成绩",
            KeysResume => "Enter 继续这场竞赛 · N 结束它并新开一场 · Esc 返回",
            KeysCompSetup => {
                "↑↓ 选择场景 · 空格 加入/移出（多个场景轮流） · F 重点异议 · ←→ 轮数 · Enter 开始 · Esc 返回"
            }
            KeysScoreboard => "Enter 代表上场 · ←→ 更换代表 · Esc 暂停（下次可继续）",
            KeysBanner => "Enter 继续",
            KeysPodium => "Enter 返回首页",
        },
        Lang::En => match m {
            Customer => "Customer",
            Patience => "Patience",
            Interest => "Interest",
            Difficulty => "Difficulty",
            Seed => "seed",
            Trainee => "Trainee",
            PromptHint => "Type an option number, or type your own reply (q to quit)",
            EmptyInput => "Nothing entered. Type an option number, or type your reply.",
            OutOfRange => "No such option. Type a number from 1 to",
            EndOfInput => "Input ended before the drill finished.",
            YouSaid => "You said",
            ScriptSays => "Script",
            KeyPoints => "Key points",
            Reason => "Why",
            BreachOf => "Breach",
            Scorecard => "Scorecard",
            Outcome => "Outcome",
            Compliance => "Compliance",
            Stage => "Stage",
            Weight => "Weight",
            Turns => "Turns",
            Average => "Average",
            Score => "Score",
            PassMark => "pass mark",
            Passed => "passed",
            NotPassed => "not passed",
            TurnByTurn => "Turn by turn",
            FatalZeroes => "A fatal breach sets this drill to 0",
            Advice => "Instead",
            CustomerHangsUp => "(The customer hangs up.)",
            BudgetSpent => "(The call ran too long; the customer hangs up.)",
            Abandoned => "Drill abandoned.",
            AppTitle => "Telesales Script Drill",
            AppSubtitle => "calldrill · offline script training",
            ChooseTrainee => "Choose a trainee",
            NewTrainee => "+ New trainee",
            TypeName => "Type the trainee's name, then Enter",
            NoTrainees => "No trainees yet: press N to add one",
            Language => "Language",
            LanguageName => "English",
            Settings => "Settings",
            Library => "Scenario library",
            BestScore => "Best",
            NotPlayed => "not played",
            Persona => "Customer",
            ContentErrors => "Content files have errors (those files are left out)",
            AnswerTime => "Answer time",
            TypeReply => "Type your reply",
            TypingHint => "Enter to submit · Esc to cancel · IME input works",
            ContinueHint => "Press Enter to continue",
            KeysTitle => {
                "↑↓ choose · Enter select · N new trainee · C competition · L language · S settings · Esc quit"
            }
            KeysLibrary => {
                "↑↓ choose · Enter start drill · N next drill · E exam mode · M mastery · H history · Esc back"
            }
            KeysDrill => "1-9 answer · Tab type a reply · Enter continue · Esc back to library",
            KeysScorecard => {
                "Enter back to library · R drill again · N next drill · M mastery · Esc back"
            }
            KeysSettings => "↑↓ choose · ←→ adjust · Esc save and back",
            Volume => "Volume",
            VolumeRing => "Phone ring",
            VolumeFeedback => "Answer feedback",
            VolumeCelebration => "Deal celebration",
            TextSize => "Text size",
            Retry => "Drill again",
            BackToLibrary => "Back to library",
            YourReply => "Your reply",
            Typed => "Typed reply",
            DrillOver => "Call ended",
            Step => "Turn",
            Traits => "Traits",
            NoScenarios => "No scenarios available",
            Unfinished => "unfinished (never counts as passed)",
            FullStop => ".",
            MoreBelow => "↓ more scenarios below",
            ExamRules => "Exam mode: one answer per turn, no feedback until the scorecard.",
            ExamNoted => "(noted)",
            Practice => "Practice",
            Exam => "Exam",
            MasteryTitle => "Mastery",
            DueNow => "due",
            NewItem => "new",
            Required => "required",
            Certified => "Certified",
            NotCertified => "Not yet certified",
            CertGranted => "Congratulations! Certified",
            CertNotYet => "This exam did not certify you",
            NextDrill => "Next drill",
            NextDrillWhy => "Why",
            WhyDue => "due for review",
            WhyWeak => "weakest",
            WhyNew => "new",
            History => "History",
            Replay => "Replay",
            NoHistory => "No drills recorded yet",
            MasteryChanged => "Mastery change",
            Threshold => "threshold",
            ItemsDue => "items due",
            KeysMastery => "Enter start next drill · E exam · H history · Esc back",
            KeysHistory => "↑↓ choose · Enter replay · Esc back",
            KeysReplay => "←→ previous/next step · Home start · Esc back",
            ReplayDiffers => "The content has changed since; showing the recorded text",
            Chose => "Chosen",
            FocusObjection => "Focus objection (F to change)",
            FocusNone => "any",
            RoundsPlayed => "rounds",
            TeamsTitle => "Morning competition · teams",
            TeamsCount => "teams",
            TeamsNeedTrainees => "Add trainees on the title screen first (at least one per team)",
            Slogan => "Slogan",
            Target => "Target",
            TeamStrength => "Team strength",
            Spread => "Spread",
            BalanceExact => "exact search (optimal)",
            BalanceKk => "largest differencing (Karmarkar–Karp)",
            BalanceManual => "adjusted by hand",
            BalanceSaved => "the saved teams",
            SizesUneven => "team sizes differ by more than one",
            SpreadWideBest => "the trainees differ widely; this is the best split there is",
            SpreadWideManual => "the teams differ widely; press 2-6 to re-balance",
            KeysTeams => {
                "↑↓ choose a trainee · ←→ move to the previous/next team · 2-6 re-balance into that many teams · Enter save and start · Esc back"
            }
            CompTitle => "Morning competition",
            CompSetup => "Choose today's customer (scenario) and the number of rounds",
            Rounds => "Rounds",
            Round => "Round",
            NowPlaying => "Now playing:",
            ProposedByRotation => {
                "Proposed by rotation (whoever represented least recently); ←→ to change"
            }
            Points => "pts",
            ResumeFound => "An unfinished competition was found: results recorded",
            KeysResume => "Enter resume it · N close it and start a new one · Esc back",
            KeysCompSetup => {
                "↑↓ scenario · Space add/remove (rounds cycle through them) · F focus objection · ←→ rounds · Enter start · Esc back"
            }
            KeysScoreboard => {
                "Enter the representative plays · ←→ change representative · Esc pause (resume later)"
            }
            KeysBanner => "Enter continue",
            KeysPodium => "Enter back to the title",
        },
    }
}

/// Why a score is below the stage average: the major-breach deduction.
pub fn major_penalty(lang: Lang, card: &crate::scoring::Scorecard) -> String {
    let points = card.major_breaches * crate::scoring::MAJOR_BREACH_PENALTY;
    match lang {
        Lang::Zh => format!(
            "严重违规 {} 次，每次扣 {} 分：{} → {}",
            card.major_breaches,
            crate::scoring::MAJOR_BREACH_PENALTY,
            card.raw_score,
            card.score
        ),
        Lang::En => format!(
            "{} major breach(es), {} points each: {} → {} ({points} deducted)",
            card.major_breaches,
            crate::scoring::MAJOR_BREACH_PENALTY,
            card.raw_score,
            card.score
        ),
    }
}

pub fn stage(lang: Lang, s: Stage) -> &'static str {
    match lang {
        Lang::Zh => s.name_zh(),
        Lang::En => s.name(),
    }
}

pub fn ending(lang: Lang, e: Ending) -> &'static str {
    match lang {
        Lang::Zh => e.name_zh(),
        Lang::En => match e {
            Ending::Deal => "Deal",
            Ending::Appointment => "Appointment booked",
            Ending::Callback => "Callback agreed",
            Ending::HangUp => "Hung up",
            Ending::Complaint => "Complaint",
        },
    }
}

pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    match (lang, v) {
        (Lang::Zh, Verdict::Approved) => "符合话术",
        (Lang::Zh, Verdict::Partial) => "部分符合",
        (Lang::Zh, Verdict::Breach) => "违规",
        (Lang::En, Verdict::Approved) => "On script",
        (Lang::En, Verdict::Partial) => "Partly",
        (Lang::En, Verdict::Breach) => "Breach",
    }
}

pub fn compliance(lang: Lang, c: Compliance) -> &'static str {
    match (lang, c) {
        (Lang::Zh, Compliance::Pass) => "通过",
        (Lang::Zh, Compliance::Warn) => "有严重违规（扣分）",
        (Lang::Zh, Compliance::Fail) => "不通过（致命违规）",
        (Lang::En, Compliance::Pass) => "pass",
        (Lang::En, Compliance::Warn) => "major breach (points deducted)",
        (Lang::En, Compliance::Fail) => "fail (fatal breach)",
    }
}

pub fn severity(lang: Lang, s: Severity) -> &'static str {
    match (lang, s) {
        (Lang::Zh, Severity::Fatal) => "致命",
        (Lang::Zh, Severity::Major) => "严重",
        (Lang::En, Severity::Fatal) => "fatal",
        (Lang::En, Severity::Major) => "major",
    }
}
