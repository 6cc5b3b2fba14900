#!/usr/bin/env python3
"""Generator for tests/data/eval.yaml (Fishbot symptom / condition evaluation set).

Messages are hand-written; this script only assembles them, applies the
noise transforms (NFD, zero-width characters, emoji, caps, odd spacing) and
derives the mechanical tags:
  nd     - text has letters but no Vietnamese diacritics at all
  multi  - 2+ symptoms present (must then carry `conditions`)
  single - exactly 1 symptom present
  neg    - message negates at least one symptom (`absent` non-empty); trap items
           whose negation word does not negate a symptom ("cá hổng chịu ăn")
           are tagged neg by hand.
Run:  python3 tests/data/make_eval.py
"""
import os
import unicodedata

import yaml

SYMPTOMS = [
    "noi_dau", "tho_gap", "bo_an", "boi_lo_do", "boi_bat_thuong", "co_than",
    "chet_nhieu", "mat_loi", "mat_duc", "xuat_huyet", "bung_truong",
    "hau_mon_do", "mang_nhot", "mang_thoi", "mang_nau", "dom_trang_da",
    "nhot_nhieu", "doi_mau_da", "mat_vay", "lo_loet", "nam_bong",
    "thoi_vay_duoi", "ky_sinh_bam", "phan_trang", "dom_trang_noi_tang",
    "bong_khi",
]
CONDITIONS = [
    "thieu_oxy", "khi_doc", "gan_than_mu", "benh_xuat_huyet", "lien_cau_khuan",
    "columnaris", "dom_trang", "trung_banh_xe", "san_la_mang", "nam_thuy_mi",
    "ky_sinh_giap_xac", "bong_khi", "viem_ruot",
]
TAG_ORDER = ["nd", "neg", "ood", "multi", "single", "teen", "south", "typo",
             "noise", "para"]

ITEMS = []


def add(text, s=(), a=(), c=(), t=()):
    ITEMS.append({"text": text, "symptoms": list(s), "absent": list(a),
                  "conditions": list(c), "tags": list(t)})


def ood(text, t=()):
    add(text, t=("ood",) + tuple(t))


# ---------------------------------------------------------------- noise helpers
ZWSP, ZWNJ, BOM = "\u200b", "\u200c", "\ufeff"


def nfd(s):
    return unicodedata.normalize("NFD", s)


def zw_between(s, ch=ZWSP, every=1):
    """Insert a zero-width char after every `every`-th space."""
    out, n = [], 0
    for c in s:
        out.append(c)
        if c == " ":
            n += 1
            if n % every == 0:
                out.append(ch)
    return "".join(out)


def zw_inside(s, word, ch=ZWNJ):
    """Put a zero-width char in the middle of `word` (copy/paste artefact)."""
    k = len(word) // 2
    return s.replace(word, word[:k] + ch + word[k:], 1)


def spaced(s, n=3):
    return s.replace(" ", " " * n)


def noise(text, s=(), a=(), c=(), t=()):
    add(text, s, a, c, ("noise",) + tuple(t))


# =============================================================== MULTI-SIGN
# --- thieu_oxy
add("sáng sớm ra ao thấy cá tra nổi đầu kín mặt nước, thở gấp, mặt trời lên cao thì lặn hết",
    ["noi_dau", "tho_gap"], c=["thieu_oxy"])
add("ca loc noi dau luc 4h sang, ngop tho, chet 15 con",
    ["noi_dau", "tho_gap", "chet_nhieu"], c=["thieu_oxy", "khi_doc"])
add("trời âm u mấy bữa, gần sáng cá rô phi ngoi lên đớp khí, há miệng liên tục",
    ["noi_dau", "tho_gap"], c=["thieu_oxy"], t=["south"])
add("cúp điện quạt nước ko chạy, cá nổi đầu hết trơn, con nào cũng há mồm, có con chết rồi",
    ["noi_dau", "tho_gap", "chet_nhieu"], c=["thieu_oxy"], t=["teen", "south"])
add("tao day nuoc xanh dam, 5h sang ca dieu hong noi dau, an it",
    ["noi_dau", "bo_an"], c=["thieu_oxy"])
add("đêm qua mưa to, rạng sáng cá trê ngóp quá trời, lờ đờ sát bờ",
    ["noi_dau", "boi_lo_do"], c=["thieu_oxy"], t=["south"])
# --- khi_doc
add("cá chết rải rác, mở nắp mang thấy mang màu nâu như sô cô la, cá hay nổi đầu",
    ["chet_nhieu", "mang_nau", "noi_dau"], c=["khi_doc"])
add("ao nuoi tra mat do day, bun day, ca noi dau ca ngay, mang nau, an yeu",
    ["noi_dau", "mang_nau", "bo_an"], c=["khi_doc"])
add("nước ao bốc mùi trứng thối, cá trê thở gấp, lờ đờ, chết 30 con",
    ["tho_gap", "boi_lo_do", "chet_nhieu"], c=["khi_doc"])
add("máu cá nâu sậm, mang nâu, cá yếu tấp mé bờ",
    ["mang_nau", "boi_lo_do"], c=["khi_doc"], t=["south"])
add("bữa nay cá nổi đầu tới trưa hổng chịu lặn, mang nâu đen, chết lai rai",
    ["noi_dau", "mang_nau", "chet_nhieu"], c=["khi_doc"], t=["south", "neg"])
add("sau trận mưa lớn nước ao có mùi khai, cá chép nổi đầu, mang chuyển nâu",
    ["noi_dau", "mang_nau"], c=["khi_doc"])
# --- gan_than_mu
add("cá tra giống ăn yếu, mổ thấy gan với thận lấm tấm đốm trắng như mủ",
    ["bo_an", "dom_trang_noi_tang"], c=["gan_than_mu"])
add("ca tra chet rai rac moi ngay vai chuc con, mo ra gan than co dom trang",
    ["chet_nhieu", "dom_trang_noi_tang"], c=["gan_than_mu"])
add("tra 2 thang tuoi, mua lanh nay bo an, lo do tach dan, gan than lach co nhieu dom trang",
    ["bo_an", "boi_lo_do", "dom_trang_noi_tang"], c=["gan_than_mu"])
add("mổ cá tra thấy lá lách, thận có mấy chấm trắng li ti, cá chết tăng dần mỗi ngày",
    ["dom_trang_noi_tang", "chet_nhieu"], c=["gan_than_mu"])
add("cá tra tụi nó bỏ ăn quá trời, mổ ra gan có mủ trắng lấm tấm",
    ["bo_an", "dom_trang_noi_tang"], c=["gan_than_mu"], t=["south"])
# --- benh_xuat_huyet
add("cá chép có đốm đỏ trên thân, vây đỏ, vài con bị lở loét",
    ["xuat_huyet", "lo_loet"], c=["benh_xuat_huyet"])
add("ca tra xuat huyet goc vay, hau mon sung do, bung chuong",
    ["xuat_huyet", "hau_mon_do", "bung_truong"], c=["benh_xuat_huyet", "viem_ruot"])
add("cá lóc bị lở loét ăn sâu vô thịt, quanh vết loét đỏ tươi, tróc vảy",
    ["lo_loet", "xuat_huyet", "mat_vay"], c=["benh_xuat_huyet"], t=["south"])
add("mình cá rô phi có vệt đỏ, miệng đỏ, ăn yếu",
    ["xuat_huyet", "bo_an"], c=["benh_xuat_huyet", "lien_cau_khuan"])
add("ca dieu hong bi do than, loet mieng, chet vai con",
    ["xuat_huyet", "lo_loet", "chet_nhieu"], c=["benh_xuat_huyet"])
# --- lien_cau_khuan
add("rô phi bơi xoay tròn, mắt lồi, có con mắt đục trắng",
    ["boi_bat_thuong", "mat_loi", "mat_duc"], c=["lien_cau_khuan"])
add("ro phi don lon, ca boi quay vong roi chim, mat loi ra",
    ["boi_bat_thuong", "mat_loi"], c=["lien_cau_khuan"])
add("nắng nóng, điêu hồng chết lai rai, con nào cũng lồi mắt, bơi lật nghiêng",
    ["chet_nhieu", "mat_loi", "boi_bat_thuong"], c=["lien_cau_khuan"], t=["south"])
add("ca ro phi mat trang duc, loi mat, boi loang choang mat thang bang",
    ["mat_duc", "mat_loi", "boi_bat_thuong"], c=["lien_cau_khuan"])
add("rô phi nuôi lồng mắt lồi, bụng chướng, bơi xoáy vòng",
    ["mat_loi", "bung_truong", "boi_bat_thuong"], c=["lien_cau_khuan"])
# --- columnaris
add("cá lóc bị trắng đuôi, mang thối rữa",
    ["thoi_vay_duoi", "mang_thoi"], c=["columnaris"])
add("ca tra giong bi cut duoi, vay mon, mang bi an mon",
    ["thoi_vay_duoi", "mang_thoi"], c=["columnaris"])
add("cá trê bị mục đuôi, trên lưng có vệt trắng bạc, chết nhiều",
    ["thoi_vay_duoi", "doi_mau_da", "chet_nhieu"], c=["columnaris"])
add("mang cá rách nát, đuôi cụt dần, cá ăn ít",
    ["mang_thoi", "thoi_vay_duoi", "bo_an"], c=["columnaris"])
add("ca loc bong duoi bi trang, vay rach, chet rai rac",
    ["thoi_vay_duoi", "chet_nhieu"], c=["columnaris"])
# --- dom_trang (Ich)
add("cá có đốm trắng như hạt muối khắp mình, hay cọ vào thành bể",
    ["dom_trang_da", "co_than"], c=["dom_trang"])
add("ca tra giong bi dom trang nho li ti tren vay va mang, tho gap",
    ["dom_trang_da", "tho_gap"], c=["dom_trang"])
add("trời trở lạnh, cá chép nổi chấm trắng như hạt tấm, cá cạ mình vô bờ",
    ["dom_trang_da", "co_than"], c=["dom_trang"], t=["south"])
add("tren da ca tre co hat trang lam tam, nhot nhieu, chet vai con moi ngay",
    ["dom_trang_da", "nhot_nhieu", "chet_nhieu"], c=["dom_trang"])
add("điêu hồng bị lấm tấm trắng như rắc muối, tụi nó phóng lên mặt nước hoài",
    ["dom_trang_da", "co_than"], c=["dom_trang"], t=["south"])
# --- trung_banh_xe
add("da cá tiết nhiều nhớt, cá cọ mình vào cọc, da bạc màu",
    ["nhot_nhieu", "co_than", "doi_mau_da"], c=["trung_banh_xe"])
add("ca ro phi giong nhot nhieu, boi lo do, da nhat mau",
    ["nhot_nhieu", "boi_lo_do", "doi_mau_da"], c=["trung_banh_xe"])
add("cá lóc giống nhớt tùm lum, hay phóng lên mặt nước",
    ["nhot_nhieu", "co_than"], c=["trung_banh_xe", "dom_trang"])
add("cá trê da phủ một lớp nhớt trắng đục, cạ mình vô thành bể, ăn kém",
    ["nhot_nhieu", "co_than", "bo_an"], c=["trung_banh_xe"], t=["south"])
add("ca chep nhieu nhot, mau da trang bech, tho gap",
    ["nhot_nhieu", "doi_mau_da", "tho_gap"], c=["trung_banh_xe", "san_la_mang"])
# --- san_la_mang
add("cá tra giống mang tái nhợt, nắp mang phập phồng nhanh, hay cạ mình",
    ["mang_nhot", "tho_gap", "co_than"], c=["san_la_mang"])
add("ca dieu hong mang trang nhat, tho doc, noi dau du troi da sang",
    ["mang_nhot", "tho_gap", "noi_dau"], c=["san_la_mang", "thieu_oxy"])
add("mở nắp mang thấy mang nhạt màu, cá cọ mình liên tục, bơi lờ đờ",
    ["mang_nhot", "co_than", "boi_lo_do"], c=["san_la_mang"])
add("ca ro phi giong tho gap, mang nhot nhat, cha minh vo luoi",
    ["tho_gap", "mang_nhot", "co_than"], c=["san_la_mang"])
add("mang cá lóc tái trắng, cá há miệng thở, chết lai rai",
    ["mang_nhot", "tho_gap", "chet_nhieu"], c=["san_la_mang"])
# --- nam_thuy_mi
add("cá lóc bị trầy do kéo lưới, chỗ trầy mọc lông trắng như bông",
    ["mat_vay", "nam_bong"], c=["nam_thuy_mi"])
add("ca tre co vet loet, tren vet loet moc soi trang nhu bong gon",
    ["lo_loet", "nam_bong"], c=["nam_thuy_mi"])
add("trời lạnh, cá chép có mấy búi bông trắng ở vây, bơi lờ đờ",
    ["nam_bong", "boi_lo_do"], c=["nam_thuy_mi"])
add("ca dieu hong troc vay sau khi van chuyen, gio moc bong trang",
    ["mat_vay", "nam_bong"], c=["nam_thuy_mi"])
add("cá rô phi bị nấm trắng như gòn trên đầu, ăn ít lại",
    ["nam_bong", "bo_an"], c=["nam_thuy_mi"])
# --- ky_sinh_giap_xac
add("thấy con rận tròn dẹp bám trên da cá, cá cọ mình liên tục",
    ["ky_sinh_bam", "co_than"], c=["ky_sinh_giap_xac"])
add("ca chep bi trung mo neo cam vao than, cho cam bi do",
    ["ky_sinh_bam", "xuat_huyet"], c=["ky_sinh_giap_xac"])
add("cá lóc có mấy con gì như cây kim bám ở vây, cá phóng lên mặt nước",
    ["ky_sinh_bam", "co_than"], c=["ky_sinh_giap_xac"], t=["para"])
add("rận cá bám đầy mình, cá trê bỏ ăn",
    ["ky_sinh_bam", "bo_an"], c=["ky_sinh_giap_xac"])
add("ca ro phi co con rep bam tren da, cho bam bi loet, ca cha minh vo bo",
    ["ky_sinh_bam", "lo_loet", "co_than"], c=["ky_sinh_giap_xac"], t=["south"])
# --- bong_khi
add("cá giống có bọt khí trong mắt, mắt lồi, bơi lật nghiêng",
    ["bong_khi", "mat_loi", "boi_bat_thuong"], c=["bong_khi"])
add("bơm nước giếng khoan thẳng vô bể, cá con bơi mất thăng bằng, dưới da có bọt khí li ti",
    ["boi_bat_thuong", "bong_khi"], c=["bong_khi"])
add("ca dieu hong mat loi, trong mat thay bot khi, chet vai con",
    ["mat_loi", "bong_khi", "chet_nhieu"], c=["bong_khi"])
add("vây lưng cá có bọng khí nhỏ, cá bơi lộn ngược",
    ["bong_khi", "boi_bat_thuong"], c=["bong_khi"])
add("tảo nở hoa, trưa nắng gắt, vây với đuôi cá có bong bóng khí, cá chết vài con",
    ["bong_khi", "chet_nhieu"], c=["bong_khi"])
# --- viem_ruot
add("ca tra di phan trang lo lung, bung to cang, hau mon sung do",
    ["phan_trang", "bung_truong", "hau_mon_do"], c=["viem_ruot"])
add("cá lóc ăn yếu, thấy phân trắng nổi trên mặt nước",
    ["bo_an", "phan_trang"], c=["viem_ruot"])
add("cá trê bụng phình, đè nhẹ ra dịch vàng, hậu môn lồi đỏ",
    ["bung_truong", "hau_mon_do"], c=["viem_ruot", "benh_xuat_huyet"])
add("ro phi phan nhay trang dai, bo an 2 bua",
    ["phan_trang", "bo_an"], c=["viem_ruot"])
add("bữa nay cá tra bụng chướng, hậu môn đỏ lè, ăn kém",
    ["bung_truong", "hau_mon_do", "bo_an"], c=["viem_ruot"], t=["south"])
add("bụng cá chướng r, hậu môn đỏ, đc mấy bữa r",
    ["bung_truong", "hau_mon_do"], c=["viem_ruot"], t=["teen", "south"])

# --- long rambling multi-sign messages (30-50 words)
add("anh ơi em nuôi 2 ao cá tra ở Hồng Ngự, ao số 1 thả được hai tháng, mấy bữa nay cá ăn yếu hẳn, "
    "sáng ra vớt chừng chục con chết, em mổ thử thấy gan với thận có lấm tấm trắng, có phải bệnh gì nặng không anh",
    ["bo_an", "chet_nhieu", "dom_trang_noi_tang"], c=["gan_than_mu"], t=["south"])
add("chú ơi ao rô phi nhà con bữa giờ cá chết lai rai, mỗi sáng vớt chừng 5-7 con, con nào cũng lồi mắt, "
    "có con mắt trắng đục, bơi vòng vòng sát mặt nước rồi chìm, nước ao nóng lắm, con nên làm gì chú",
    ["chet_nhieu", "mat_loi", "mat_duc", "boi_bat_thuong"], c=["lien_cau_khuan"], t=["south"])
add("trời mưa mấy ngày liền, sáng nay 5 giờ ra thăm ao thấy cá lóc nổi đầu quá trời, con nào cũng há miệng thở, "
    "quạt nước chạy rồi mà vẫn vậy, có mấy con tấp bờ nằm im luôn, em lo quá",
    ["noi_dau", "tho_gap", "boi_lo_do"], c=["thieu_oxy", "khi_doc"], t=["south"])
add("ao cá chép của tui nuôi trong ruộng, thấy mấy con cá có con gì nhỏ dẹp dẹp như con rệp bám trên da, "
    "chỗ bám bị đỏ, cá hay nhảy lên khỏi mặt nước, ăn uống cũng kém hơn trước, xin hỏi xử lý thế nào",
    ["ky_sinh_bam", "xuat_huyet", "co_than", "bo_an"], c=["ky_sinh_giap_xac"], t=["south"])
add("em mới thay nước giếng khoan cho bể ương cá giống, tới chiều thấy cá bơi lung tung mất thăng bằng, "
    "nhìn kỹ thì vây với dưới da có mấy hạt bọt khí nhỏ, mắt hơi lồi, hỏi có sao không",
    ["boi_bat_thuong", "bong_khi", "mat_loi"], c=["bong_khi"])
add("ao ca tre nha toi o Long Xuyen tha duoc 1 thang, may ngay nay ca cu nhay len khoi mat nuoc roi co minh "
    "vao thanh ao, bat len thay da nhot nhieu, mau da bac trang, ca an it hon, mong bot chi cach xu ly",
    ["co_than", "nhot_nhieu", "doi_mau_da", "bo_an"], c=["trung_banh_xe"])
add("ca tra nha em an binh thuong, khong noi dau, nhung may hom nay phan trang noi lo lung tren mat ao, "
    "bung hoi chuong, hau mon do, em nghi la bi duong ruot, anh tu van giup em voi",
    ["phan_trang", "bung_truong", "hau_mon_do"], a=["bo_an", "noi_dau"], c=["viem_ruot"])
add("hôm qua anh Ba kéo lưới san ao cá lóc, hôm nay em thấy nhiều con bị trầy tróc vảy, mấy chỗ trầy "
    "bắt đầu có lớp lông trắng mịn như bông gòn, nước thì lạnh, cho em hỏi có cần tắm muối không",
    ["mat_vay", "nam_bong"], c=["nam_thuy_mi"], t=["south"])

# =============================================================== SINGLE SIGN
S = lambda text, sym, *t: add(text, [sym], t=t)
# noi_dau
S("ca noi dau tu sang toi gio", "noi_dau")
S("mấy bữa nay cá lóc ngoi đầu lên đớp không khí hoài", "noi_dau", "south")
S("ao so 3 ca tra noi dau day mat nuoc luc rang dong", "noi_dau")
S("cá cứ trồi lên mặt nước táp táp liên tục", "noi_dau", "para")
S("ca ngop qua troi luon", "noi_dau", "south")
S("cá nổi đầuuu từ 3h sáng", "noi_dau", "typo")
S("cá nổi đầu nhìu lắm, cứu e vs", "noi_dau", "teen")
# tho_gap
S("cá thở dồn dập, nắp mang đóng mở liên tục", "tho_gap")
S("ca tre ha mieng tho hoai", "tho_gap", "south")
S("thấy con cá thở hổn hển như người mệt", "tho_gap", "para")
S("ca tho gap wa", "tho_gap", "teen")
S("mang cá phập phồng nhanh bất thường", "tho_gap", "para")
S("cá thở gấppp", "tho_gap", "typo")
# bo_an
S("ca tra giam an ro ret tu hom qua", "bo_an")
S("rải thức ăn xuống mà cá hổng chịu lên ăn", "bo_an", "south", "neg")
S("cho 5 bao cám mà cá ăn chưa hết 2 bao", "bo_an", "para", "neg")
S("cá rô phi ăn yếu hẳn đi", "bo_an")
S("ca k an j het", "bo_an", "teen", "neg")
S("sức ăn giảm phân nửa so với tuần trước", "bo_an", "para")
S("ca bo ann 3 ngay r", "bo_an", "typo", "teen")
S("cá bỏ ăn mấy hôm nay r, ko bik bị j", "bo_an", "teen", "neg")
# boi_lo_do
S("cá bơi lờ đờ quanh bờ ao", "boi_lo_do")
S("ca tach dan, tap vao bo", "boi_lo_do")
S("mấy con cá tụi nó cứ lừ đừ dạt vô mé bờ", "boi_lo_do", "south")
S("con cá yếu xìu, lội chậm rì", "boi_lo_do", "south", "para")
S("ca loc boi cham chap, tach khoi dan", "boi_lo_do")
S("cá bơi lờ đơ", "boi_lo_do", "typo")
# boi_bat_thuong
S("cá bơi xoay vòng vòng như chong chóng", "boi_bat_thuong", "para")
S("ca boi lat nghieng mot ben", "boi_bat_thuong")
S("cá lội loạn xạ, mất thăng bằng", "boi_bat_thuong", "south")
S("con cá bơi quay cuồng rồi lộn bụng", "boi_bat_thuong")
S("ca boi giat giat, xoay tron", "boi_bat_thuong")
# co_than
S("cá hay cọ mình vào thành bể", "co_than")
S("ca phong len khoi mat nuoc lien tuc", "co_than")
S("cá cạ lưng vô cọc lưới hoài", "co_than", "south")
S("cá cứ chà mình xuống đáy ao", "co_than")
S("tụi nó nhảy lên khỏi mặt nước rồi rớt cái bộp", "co_than", "south", "para")
# chet_nhieu
S("cá chết 20 con sáng nay", "chet_nhieu")
S("ca chet hang loat, vot ra may tram ky", "chet_nhieu")
S("mỗi ngày vớt vài chục con cá tra chết", "chet_nhieu")
S("cá chết lai rai, mấy bữa nay tăng dần", "chet_nhieu", "south")
S("cá chết trắng ao", "chet_nhieu", "para")
S("ca chet nhiu wa", "chet_nhieu", "teen")
S("cá chết nhiềuuuu", "chet_nhieu", "typo")
# mat_loi
S("cá bị lồi mắt", "mat_loi")
S("mat ca loi ra ngoai", "mat_loi")
S("ca bi loi matt ca 2 benn", "mat_loi", "typo")
S("mắt con cá trồi ra như muốn rớt", "mat_loi", "para")
S("ca ro phi bi loi mat 2 ben", "mat_loi")
S("cá bi lồi mắc", "mat_loi", "typo")
# mat_duc
S("mắt cá bị đục trắng", "mat_duc")
S("ca bi mu mat, mat trang duc", "mat_duc")
S("tròng mắt cá mờ như có màng phủ", "mat_duc", "para")
S("ro phi mat bi trang duc mot ben", "mat_duc")
S("mắt cá điêu hồng đục ngầu", "mat_duc")
S("mắt cá đục wá trời lun", "mat_duc", "teen", "south")
# xuat_huyet
S("cá có đốm đỏ trên da", "xuat_huyet")
S("vay ca do au", "xuat_huyet")
S("mieng ca bi xuat huyet", "xuat_huyet")
S("gốc vây cá tra có vệt máu", "xuat_huyet", "para")
S("da cá lấm tấm chấm đỏ như muỗi đốt", "xuat_huyet", "para")
S("cá bị xuất huyếc", "xuat_huyet", "typo")
# bung_truong
S("bụng cá căng phình", "bung_truong")
S("ca tre bung to bat thuong", "bung_truong")
S("bụng cá sình lên như cái bong bóng", "bung_truong", "para", "south")
S("bung ca chuong cang", "bung_truong")
S("cá bụn chướng", "bung_truong", "typo")
# hau_mon_do
S("hậu môn cá sưng đỏ", "hau_mon_do")
S("hau mon ca loi ra, do tuoi", "hau_mon_do")
S("lỗ đít cá bị đỏ lòm", "hau_mon_do", "para", "south")
S("cá tra bị đỏ hậu môn", "hau_mon_do")
S("hậu mon xưng đỏ", "hau_mon_do", "typo")
# mang_nhot
S("mang cá tái nhợt", "mang_nhot")
S("mang ca trang bech", "mang_nhot")
S("lật mang ra thấy mang nhạt màu, không hồng như bình thường", "mang_nhot", "para", "neg")
S("mang ca nhot nhat", "mang_nhot")
S("mang ca loc bi tai", "mang_nhot")
S("mang ca hoi tai r", "mang_nhot", "teen")
# mang_thoi
S("mang cá bị thối", "mang_thoi")
S("mang ca bi rach, mep mang mon", "mang_thoi")
S("mang cá mục nát, có mùi hôi", "mang_thoi")
S("mang bị ăn mòn lởm chởm", "mang_thoi", "para")
S("ca tre bi thoi mang", "mang_thoi")
S("mag cá bị thối hết", "mang_thoi", "typo")
# mang_nau
S("mang cá màu nâu", "mang_nau")
S("mang ca nau nhu mau socola", "mang_nau")
S("cắt mang thấy máu nâu sậm chứ hổng đỏ tươi", "mang_nau", "south", "neg", "para")
S("mang ca tra chuyen sang mau nau", "mang_nau")
S("mang nâu sậm hết trơn", "mang_nau", "south")
# dom_trang_da
S("cá có đốm trắng nhỏ trên da", "dom_trang_da")
S("ca bi dom trang nhu hat muoi", "dom_trang_da")
S("vây với mang cá lấm tấm hạt trắng như hạt tấm", "dom_trang_da", "para")
S("ca chep noi cham trang khap minh", "dom_trang_da")
S("cá bị đóm trắng", "dom_trang_da", "typo")
S("ca bi dom trang r, tri sao dc", "dom_trang_da", "teen")
# nhot_nhieu
S("cá ra nhiều nhớt", "nhot_nhieu")
S("da ca nhot nhieu, so vao nhot nhay", "nhot_nhieu")
S("cá tiết nhớt trắng đục cả lớp", "nhot_nhieu")
S("bắt cá lên nhớt dính đầy tay", "nhot_nhieu", "para")
S("ca ra nhot tum lum", "nhot_nhieu", "south")
S("cá nhớc nhiều", "nhot_nhieu", "typo")
# doi_mau_da
S("da cá bạc màu", "doi_mau_da")
S("ca bi bac mau da", "doi_mau_da")
S("thân cá lóc chuyển đen sạm", "doi_mau_da")
S("mau da ca nhat hon binh thuong", "doi_mau_da")
S("điêu hồng mất màu hồng, da trắng bệch", "doi_mau_da", "para")
# mat_vay
S("cá bị tróc vảy", "mat_vay")
S("ca rung vay lam tam", "mat_vay")
S("thân cá trầy xước nhiều chỗ", "mat_vay")
S("vảy cá bong ra từng mảng", "mat_vay", "para")
S("ca loc bi troc vay sau khi keo luoi", "mat_vay")
S("cá bị trốc vảy", "mat_vay", "typo")
# lo_loet
S("cá bị lở loét", "lo_loet")
S("than ca co vet loet sau", "lo_loet")
S("da cá bị lở từng mảng, lòi thịt", "lo_loet", "para")
S("ca loc bi loet lung", "lo_loet")
S("cá lỡ loét nhiều", "lo_loet", "typo")
S("cá bị loét nhìu chỗ lắm", "lo_loet", "teen")
# nam_bong
S("cá có sợi trắng như bông gòn", "nam_bong")
S("ca bi nam trang nhu bong", "nam_bong")
S("trứng cá chép ấp bị mốc trắng như bông", "nam_bong", "para")
S("tren dau ca co chum long trang", "nam_bong")
S("vết thương trên lưng cá mọc tơ trắng", "nam_bong", "para")
S("cá bị nắm trắng như bong", "nam_bong", "typo")
# thoi_vay_duoi
S("đuôi cá bị trắng", "thoi_vay_duoi")
S("ca bi cut duoi", "thoi_vay_duoi")
S("vây cá rách tươm", "thoi_vay_duoi")
S("duoi ca mon dan", "thoi_vay_duoi")
S("cá trê bị rữa đuôi", "thoi_vay_duoi")
S("đui cá bị cụtt", "thoi_vay_duoi", "typo")
S("đuôi cá bị cụt hết r, bik bệnh j ko", "thoi_vay_duoi", "teen")
# ky_sinh_bam
S("thấy rận bám trên da cá", "ky_sinh_bam")
S("co trung mo neo bam tren ca", "ky_sinh_bam")
S("trên mình cá có mấy con gì nhỏ nhỏ bám chặt", "ky_sinh_bam", "para")
S("ca chep bi ran", "ky_sinh_bam")
S("soi thấy con gì như sợi chỉ cắm vô da cá", "ky_sinh_bam", "para", "south")
# phan_trang
S("cá đi phân trắng", "phan_trang")
S("phan ca trang, noi lo lung", "phan_trang")
S("thấy phân cá dài thòng lòng, màu trắng", "phan_trang", "para")
S("phân cá nhầy nhầy", "phan_trang")
S("ca tra di phan trang", "phan_trang")
S("cá đi phân trăng", "phan_trang", "typo")
# dom_trang_noi_tang
S("mổ cá thấy gan có đốm trắng", "dom_trang_noi_tang")
S("mo ca ra than co mu trang", "dom_trang_noi_tang")
S("gan cá lấm tấm nốt trắng như đầu kim", "dom_trang_noi_tang", "para")
S("lach ca co nhieu dom trang", "dom_trang_noi_tang")
S("mổ ra nội tạng đầy hạt trắng", "dom_trang_noi_tang")
# bong_khi
S("dưới da cá có bọt khí", "bong_khi")
S("mat ca co bong bong khi", "bong_khi")
S("vây cá nổi mấy cái bọng hơi nhỏ", "bong_khi", "para")
S("ca bot khi duoi da", "bong_khi")
S("cá bị bọt khí ở vây", "bong_khi")
S("mắc cá bị bọt khíi", "bong_khi", "typo")

# =============================================================== NEGATION
add("cá hổng có nổi đầu mà ăn yếu lắm", ["bo_an"], ["noi_dau"], t=["south"])
add("chưa thấy con nào chết hết", [], ["chet_nhieu"])
add("cá vẫn ăn bình thường nhưng mang hơi tái", ["mang_nhot"], ["bo_an"])
add("ko thay dom trang tren da", [], ["dom_trang_da"], t=["teen"])
add("cá bơi lờ đờ, chưa chết con nào", ["boi_lo_do"], ["chet_nhieu"])
add("ca ko noi dau, ko tho gap, ma cu chet lai rai", ["chet_nhieu"], ["noi_dau", "tho_gap"], t=["teen", "south"])
add("mổ ra gan thận sạch, không có đốm trắng", [], ["dom_trang_noi_tang"])
add("cá không lồi mắt nhưng mắt bị đục", ["mat_duc"], ["mat_loi"])
add("da cá không có vết loét gì hết, chỉ tróc vảy chút xíu", ["mat_vay"], ["lo_loet"])
add("hong thay ran hay trung mo neo gi ca", [], ["ky_sinh_bam"], t=["south"])
add("cá không cọ mình, cũng không phóng lên", [], ["co_than"])
add("bung ca ko chuong, phan binh thuong", [], ["bung_truong", "phan_trang"], t=["teen"])
add("mang vẫn đỏ tươi, không bị nâu", [], ["mang_nau"])
add("chẳng thấy đốm đỏ nào trên mình cá", [], ["xuat_huyet"])
add("cá rô phi bơi xoay tròn, mắt không lồi", ["boi_bat_thuong"], ["mat_loi"])
add("ca an manh, ko bo bua nao, ma thay chet 3 con", ["chet_nhieu"], ["bo_an"], t=["teen"])
add("không có bọt khí dưới da", [], ["bong_khi"])
add("hổng có ra nhớt nhiều đâu anh", [], ["nhot_nhieu"], t=["south"])
add("cá tra chưa bỏ ăn, nhưng sáng nay nổi đầu nhiều", ["noi_dau"], ["bo_an"])
add("duoi ca van nguyen, ko bi cut", [], ["thoi_vay_duoi"], t=["teen"])
add("không thấy nấm trắng gì hết, chỉ có vết trầy", ["mat_vay"], ["nam_bong"])
add("hậu môn không đỏ, bụng cũng không chướng, mà cá ăn ít", ["bo_an"], ["hau_mon_do", "bung_truong"])
add("ca tho binh thuong, khong ha mieng", [], ["tho_gap"])
add("ko co con nao boi lo do", [], ["boi_lo_do"], t=["teen"])
add("mang không thối, không rách, nhưng nhợt nhạt", ["mang_nhot"], ["mang_thoi"])
add("cá chưa có dấu hiệu lở loét", [], ["lo_loet"])
add("chẳng có con nào bơi lật nghiêng cả", [], ["boi_bat_thuong"])
add("cá hông nổi đầu, hông chết, chỉ có ăn hơi yếu", ["bo_an"], ["noi_dau", "chet_nhieu"], t=["teen", "south"])
add("mắt cá vẫn trong, không đục", [], ["mat_duc"])
add("ko thay phan trang noi", [], ["phan_trang"], t=["teen"])
add("vảy cá còn nguyên, không tróc", [], ["mat_vay"])
add("ca ko co dom trang, ma mang bi thoi", ["mang_thoi"], ["dom_trang_da"], t=["teen"])
add("cá không có triệu chứng gì lạ, vẫn ăn đều", [], ["bo_an"])
add("mổ ra gan bình thường, không mủ, nhưng cá tra chết rải rác", ["chet_nhieu"], ["dom_trang_noi_tang"])
add("da cá không bị bạc màu", [], ["doi_mau_da"])
add("k thấy cá cọ mình j hết, mà cá đỏ vây", ["xuat_huyet"], ["co_than"], t=["teen"])
add("cá nổi đầu nhưng không thở gấp", ["noi_dau"], ["tho_gap"])
add("cá ăn vẫn mạnh, chưa thấy bỏ ăn, mà sao mắt lồi hết", ["mat_loi"], ["bo_an"])
add("khong co con ran nao bam, ca chi co ve lo do", ["boi_lo_do"], ["ky_sinh_bam"])
add("mang hổng có nâu, cá hổng có nổi đầu, mà chết hoài", ["chet_nhieu"], ["mang_nau", "noi_dau"], t=["south"])
add("chưa thấy bụng chướng gì hết", [], ["bung_truong"])
add("ca hok bi xuat huyet, chi bi nam trang nhu bong", ["nam_bong"], ["xuat_huyet"], t=["teen"])
add("ko co dom trang ma ca cu co minh vo thanh be", ["co_than"], ["dom_trang_da"], t=["teen", "south"])
add("không phải bỏ ăn đâu, cá ăn hết sạch, chỉ là đuôi bị cụt", ["thoi_vay_duoi"], ["bo_an"])
add("dưới da không có bọt khí, mắt cũng không lồi", [], ["bong_khi", "mat_loi"])
add("hổng thấy con nào lồi mắt hết trơn", [], ["mat_loi"], t=["south"])
add("cá hổng có đi phân trắng, mà bụng chướng to", ["bung_truong"], ["phan_trang"], t=["south"])
# negation + multi-sign
add("cá không có hạt trắng trên da, nhưng nhớt rất nhiều và cọ mình",
    ["nhot_nhieu", "co_than"], ["dom_trang_da"], c=["trung_banh_xe"])
add("cá rô phi không đục mắt, không lồi mắt, chỉ bơi xoay vòng rồi chết",
    ["boi_bat_thuong", "chet_nhieu"], ["mat_duc", "mat_loi"], c=["lien_cau_khuan"])
add("hổng thấy nổi đầu, mà mổ ra gan thận có đốm trắng, cá tra bỏ ăn",
    ["dom_trang_noi_tang", "bo_an"], ["noi_dau"], c=["gan_than_mu"], t=["south"])
add("ca chet 10 con nhung ko noi dau, mang mau nau",
    ["chet_nhieu", "mang_nau"], ["noi_dau"], c=["khi_doc"], t=["teen"])
add("ko thay ran bam, ma duoi ca bi mon, mang thoi",
    ["thoi_vay_duoi", "mang_thoi"], ["ky_sinh_bam"], c=["columnaris"], t=["teen"])
add("cá chép không bị xuất huyết, chỉ có vết trầy mọc bông trắng",
    ["mat_vay", "nam_bong"], ["xuat_huyet"], c=["nam_thuy_mi"])

# =============================================================== OUT OF DOMAIN
for t_ in ["chào anh", "alo", "ok", "cảm ơn nhiều nha", "thanks bot", "👍", "🐟🐟🐟", "123", "0909",
           "hello", "hi", "dạ", "uh", "...", "?", "haha", "😂😂😂", "1", "2000"]:
    ood(t_)
ood("bot là ai vậy")
ood("bạn có phải người thật không")
ood("cá tra giá bao nhiêu 1 ký")
ood("gia ca tra hom nay bao nhieu")
ood("cám Con Cò giá sao rồi")
ood("hôm nay cho cá ăn 2 bao")
ood("ao mới thả giống hôm qua")
ood("mai trời mưa không anh")
ood("thoi tiet tuan nay the nao")
ood("đào ao nuôi cá lóc sâu bao nhiêu là vừa")
ood("lót bạt ao bao nhiêu tiền 1 mét")
ood("mua cá giống rô phi ở đâu uy tín")
ood("bán 5 tấn cá tra size 800g, ai mua ib")
ood("cám Cargill với De Heus loại nào tốt")
ood("tối nay coi đá banh hông", t=["south", "teen"])
ood("ăn cơm chưa")
ood("mật độ thả cá tra bao nhiêu con/m2")
ood("bao lâu thì cá lóc đạt 1kg")
ood("em mới nuôi lần đầu, có gì chỉ em với")
ood("bot oi huong dan dang ky tai khoan")
ood("cho hỏi số điện thoại kỹ sư thủy sản")
ood("thay nuoc ao bao lau 1 lan")
ood("gửi mẫu nước đi xét nghiệm ở đâu")
ood("chúc bot ngày mới vui vẻ")
ood("giá điện tăng quá trời", t=["south"])
ood("thu hoach ca tra can chuan bi gi")
ood("vôi bột rải bao nhiêu ký 1 công")
ood("ao nuoi ca tre dao sau may met")
ood("cho ca an ngay may lan")
ood("xin chào, tôi tên Tư, nuôi cá ở Cái Bè")
ood("cá điêu hồng nuôi lồng bè có lời không")
ood("bữa nay cá lên giá chưa dzậy", t=["south"])
ood("ca ro phi may thang thi ban duoc")
ood("mua may quat nuoc loai nao ben")
ood("nên cho cá ăn thức ăn viên nổi hay chìm")
ood("cá lớn đều, năm nay trúng mùa rồi")
ood("ok cam on bot nhe")
ood("nha tui moi xo ao, tuan sau tha ca", t=["south"])
ood("thương lái trả 28 ngàn 1 ký cá tra, bán được chưa")
ood("dc r, tks nha", t=["teen"])

# =============================================================== NOISE (built)
noise(nfd("cá tra bỏ ăn, nổi đầu lúc sáng sớm"), ["bo_an", "noi_dau"], c=["thieu_oxy"])
noise(zw_between("cá chết nhiều quá anh ơi"), ["chet_nhieu"])
noise("CÁ BỊ ĐỐM TRẮNG KHẮP MÌNH CỨU EM VỚI", ["dom_trang_da"])
noise("cá lồi mắt 😭😭", ["mat_loi"])
noise("cá nổi đầu hết rồi!!!", ["noi_dau"])
noise(spaced("cá  bị lở loét"), ["lo_loet"])
noise(nfd("mang cá màu nâu 😱"), ["mang_nau"])
noise(BOM + "cá trê bụng chướng", ["bung_truong"])
noise(zw_inside("cá bơi lờ đờ sát bờ", "lờ đờ"), ["boi_lo_do"])
noise("CA CHET HANG LOAT", ["chet_nhieu"])
noise("cá ko nổi đầu!!! mà chết 😢", ["chet_nhieu"], ["noi_dau"], t=["teen"])
noise(nfd("mổ ra thận có mủ trắng"), ["dom_trang_noi_tang"])
noise(zw_between("ca tra di phan trang", ZWNJ), ["phan_trang"])
noise("cá 🐟 bị nấm trắng như bông 🙁", ["nam_bong"])
noise("sao cá cọ mình hoài dzậy???", ["co_than"], t=["south"])
noise("MANG CÁ THỐI HẾT RỒI", ["mang_thoi"])
noise(nfd("Cá Rô Phi Lồi Mắt, Bơi Xoay Tròn"), ["mat_loi", "boi_bat_thuong"], c=["lien_cau_khuan"])
noise("cá tra\n\nthở gấp\nnổi đầu", ["tho_gap", "noi_dau"], c=["thieu_oxy"])
noise(zw_inside("hậu môn cá đỏ au", "hậu môn", ZWSP), ["hau_mon_do"])
noise("🐟💀💀 chết 50 con", ["chet_nhieu"])
noise(spaced("Cá tróc vảy", 4) + " ..... ", ["mat_vay"])
noise(nfd("vây cá bị rách, đuôi cụt"), ["thoi_vay_duoi"])
noise("rận cá!!! bám đầy mình cá chép!!!", ["ky_sinh_bam"])
noise(nfd("cá có bọt khí trong mắt") + BOM, ["bong_khi"])
noise("CÁ KHÔNG ĂN", ["bo_an"], t=["neg"])
noise(zw_between(nfd("mắt cá đục, không lồi"), ZWSP, 2), ["mat_duc"], ["mat_loi"])
noise("  da  cá  bạc  màu  ,  nhớt  nhiều  ", ["doi_mau_da", "nhot_nhieu"], c=["trung_banh_xe"])
noise("XUAT HUYET DO HET THAN CA 😨😨", ["xuat_huyet"])


# =============================================================== finalize
def has_diacritics(s):
    s = unicodedata.normalize("NFD", s)
    return any(unicodedata.combining(ch) for ch in s) or "đ" in s.lower()


def finalize(it):
    text = it["text"]
    tags = set(it["tags"])
    if any(ch.isascii() and ch.isalpha() for ch in text) and not has_diacritics(text):
        tags.add("nd")
    n = len(it["symptoms"])
    if n >= 2:
        tags.add("multi")
    elif n == 1:
        tags.add("single")
    if it["absent"]:
        tags.add("neg")
    unknown = tags - set(TAG_ORDER)
    assert not unknown, (text, unknown)
    out = {"text": text, "symptoms": it["symptoms"]}
    if it["absent"]:
        out["absent"] = it["absent"]
    if it["conditions"]:
        out["conditions"] = it["conditions"]
    out["tags"] = [t for t in TAG_ORDER if t in tags]
    return out


def main():
    seen = set()
    out = []
    for it in ITEMS:
        for sid in it["symptoms"] + it["absent"]:
            assert sid in SYMPTOMS, (it["text"], sid)
        for cid in it["conditions"]:
            assert cid in CONDITIONS, (it["text"], cid)
        assert not set(it["symptoms"]) & set(it["absent"]), it["text"]
        assert len(it["symptoms"]) < 2 or it["conditions"], ("multi without conditions", it["text"])
        if "ood" in it["tags"]:
            assert not it["symptoms"] and not it["absent"], it["text"]
        assert it["text"] not in seen, ("duplicate", it["text"])
        seen.add(it["text"])
        out.append(finalize(it))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Fishbot evaluation set - generated by make_eval.py, do not edit by hand.\n")
        yaml.safe_dump(out, f, allow_unicode=True, sort_keys=False, width=1000)
    print(f"wrote {len(out)} items to {path}")


if __name__ == "__main__":
    main()
