"""The DCAT-AP catalogue of the open data, built with rdflib: what CKAN (ckanext-dcat), udata and
national portals harvest.

One `dcat:Dataset` per kind of disclosure and one for the departments, each with a
distribution per download file of the whole city (CSV with Chinese headers, CSV
with identifiers, JSON, XLSX): download URL, media type, size and SHA-256. The
per-department files are listed on each dataset's landing page.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ..downloads.package import LICENSE

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
EU_FORMAT = "http://publications.europa.eu/resource/authority/file-type/"
_FORMATS = {
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}


def catalogue(
    *,
    title: str,
    description: str,
    homepage: str,
    publisher: str,
    datasets: list[dict],
    url_of: Callable[[str], str],
) -> Graph:
    """The catalogue as an RDF graph.

    `datasets` are the dataset pages' data (views/data.dataset): name, title,
    description, updated, url (absolute), files; `url_of(path)` is a file's download URL.
    """
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("spdx", SPDX)
    catalog = URIRef(homepage.rstrip("/") + "/#catalogue")
    agent = URIRef(homepage.rstrip("/") + "/#publisher")
    license_ = URIRef(LICENSE["path"])
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(publisher, lang="zh-Hans")))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="zh-Hans")))
    graph.add((catalog, DCTERMS.description, Literal(description, lang="zh-Hans")))
    graph.add((catalog, DCTERMS.publisher, agent))
    graph.add((catalog, FOAF.homepage, URIRef(homepage)))
    graph.add((catalog, DCTERMS.license, license_))
    graph.add((catalog, DCTERMS.language, URIRef("http://publications.europa.eu/resource/authority/language/ZHO")))
    for data in datasets:
        dataset = URIRef(data["url"])
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(data["name"])))
        graph.add((dataset, DCTERMS.title, Literal(data["title"], lang="zh-Hans")))
        graph.add((dataset, DCTERMS.description, Literal(data["description"] or data["title"], lang="zh-Hans")))
        graph.add((dataset, DCTERMS.publisher, agent))
        graph.add((dataset, DCAT.landingPage, URIRef(data["url"])))
        if data["updated"]:
            graph.add((dataset, DCTERMS.modified, Literal(data["updated"], datatype=XSD.dateTime)))
        for file in data["files"]:
            if "/" in file["path"]:
                continue  # a department's file: listed on the landing page
            graph.add((dataset, DCAT.distribution, _distribution(graph, file, url_of, license_)))
    return graph


def _distribution(graph: Graph, file: dict, url_of: Callable[[str], str], license_: URIRef) -> URIRef:
    url = url_of(file["path"])
    distribution = URIRef(url + "#distribution")
    media, label = _FORMATS[file["path"].rsplit(".", 1)[-1]]
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCTERMS.title, Literal(file["path"])))
    graph.add((distribution, DCAT.downloadURL, URIRef(url)))
    graph.add((distribution, DCAT.accessURL, URIRef(url)))
    graph.add((distribution, DCAT.mediaType, URIRef(IANA + media)))
    graph.add((distribution, DCTERMS.format, URIRef(EU_FORMAT + label)))
    graph.add((distribution, DCAT.byteSize, Literal(file["bytes"], datatype=XSD.nonNegativeInteger)))
    graph.add((distribution, DCTERMS.license, license_))
    if file["updated"]:
        graph.add((distribution, DCTERMS.modified, Literal(file["updated"], datatype=XSD.dateTime)))
    # Named after the file's hash, not at random: the same files give the same catalogue, byte for
    # byte (the static export is reproducible).
    checksum = BNode(f"sha256-{file['sha256']}")
    graph.add((distribution, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(file["sha256"], datatype=XSD.hexBinary)))
    return distribution
