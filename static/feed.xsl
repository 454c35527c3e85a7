<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows the portal's Atom and RSS feeds as a readable page when opened in a browser.
     Feed readers ignore it. Texts come from the feed itself (already in its language). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="lang" select="(atom:feed/@xml:lang | rss/channel/language)[1]"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="(atom:feed/atom:title | rss/channel/title)[1]"/></title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <main id="main" class="wrap feed-page">
          <p class="feed-note">
            <strong>订阅源 · 訂閱源 · Feed</strong>
            复制本页地址到阅读器即可订阅 · 複製本頁地址到閱讀器即可訂閱 · Copy this page's address into a feed reader to subscribe.
          </p>
          <xsl:apply-templates select="atom:feed | rss/channel"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p class="lead"><xsl:value-of select="atom:subtitle"/></p>
    <p><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:link[@rel='alternate']/@href"/></a></p>
    <ol class="changes">
      <xsl:for-each select="atom:entry">
        <li class="change">
          <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
          <span class="muted"><time datetime="{substring(atom:updated, 1, 10)}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></span>
          <p class="change-summary"><xsl:value-of select="atom:summary"/></p>
        </li>
      </xsl:for-each>
    </ol>
    <xsl:if test="atom:link[@rel='next']">
      <p class="pagination"><a rel="next" href="{atom:link[@rel='next']/@href}">→</a></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="channel">
    <h1><xsl:value-of select="title"/></h1>
    <p class="lead"><xsl:value-of select="description"/></p>
    <p><a href="{link}"><xsl:value-of select="link"/></a></p>
    <ol class="changes">
      <xsl:for-each select="item">
        <li class="change">
          <a href="{link}"><xsl:value-of select="title"/></a>
          <span class="muted"><xsl:value-of select="pubDate"/></span>
        </li>
      </xsl:for-each>
    </ol>
    <xsl:if test="atom:link[@rel='next']">
      <p class="pagination"><a rel="next" href="{atom:link[@rel='next']/@href}">→</a></p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
